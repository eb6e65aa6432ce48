import * as argon2 from "argon2";
import type { PasswordHasher } from "../../ports/password-hasher.js";

export interface Argon2Options {
  readonly memoryCostKiB: number;
  readonly timeCost: number;
  readonly parallelism: number;
  /** Lets tests hash with parameters below the OWASP floor, for speed. Never set it in production. */
  readonly allowWeak?: boolean;
}

/**
 * OWASP Password Storage Cheat Sheet
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html):
 * "Use Argon2id with a minimum configuration of 19 MiB of memory, an iteration
 * count of 2, and 1 degree of parallelism." It also lists trade-offs such as
 * m=46 MiB with t=1; keel takes the stricter reading and requires both
 * m >= 19 MiB and t >= 2, so raising one never excuses lowering the other.
 */
export const owaspArgon2idFloor = { memoryCostKiB: 19_456, timeCost: 2, parallelism: 1 } as const;

export const defaultArgon2Options: Argon2Options = owaspArgon2idFloor;

/** Argon2 version 1.3, the only one argon2 (the package) produces. */
const currentVersion = 0x13;

// Limits of the Argon2 reference implementation (RFC 9106, section 3.1), so
// a bad config fails at startup instead of on the first registration.
const maxParallelism = 2 ** 24 - 1;
const maxUint32 = 2 ** 32 - 1;

interface PhcArgon2 {
  readonly id: string;
  readonly version: number;
  readonly memoryCostKiB: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** Argon2id password hashing; see the PasswordHasher port for the contract. */
export class Argon2PasswordHasher implements PasswordHasher {
  private readonly options: Omit<Argon2Options, "allowWeak">;

  constructor(options: Argon2Options = defaultArgon2Options) {
    validate(options);
    this.options = {
      memoryCostKiB: options.memoryCostKiB,
      timeCost: options.timeCost,
      parallelism: options.parallelism,
    };
  }

  hash(plain: string): Promise<string> {
    return argon2.hash(plain, {
      type: argon2.argon2id,
      memoryCost: this.options.memoryCostKiB,
      timeCost: this.options.timeCost,
      parallelism: this.options.parallelism,
    });
  }

  async verify(hash: string, plain: string): Promise<boolean> {
    // Screening first keeps foreign formats (bcrypt, empty, garbage) away from
    // the native binding; the catch covers argon2-shaped strings it rejects.
    if (parseArgon2(hash) === undefined) return false;
    try {
      return await argon2.verify(hash, plain);
    } catch {
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    // argon2.needsRehash ignores the variant (an argon2i hash with matching
    // m, t, p passes) and throws on foreign strings, so the check is done here.
    const parsed = parseArgon2(hash);
    return (
      parsed === undefined ||
      parsed.id !== "argon2id" ||
      parsed.version !== currentVersion ||
      parsed.memoryCostKiB !== this.options.memoryCostKiB ||
      parsed.timeCost !== this.options.timeCost ||
      parsed.parallelism !== this.options.parallelism
    );
  }
}

function validate(options: Argon2Options): void {
  const { memoryCostKiB, timeCost, parallelism } = options;
  requireInteger("parallelism", parallelism, 1, maxParallelism);
  requireInteger("timeCost", timeCost, 1, maxUint32);
  requireInteger("memoryCostKiB", memoryCostKiB, 8 * parallelism, maxUint32);
  if (options.allowWeak === true) return;
  requireInteger("memoryCostKiB", memoryCostKiB, owaspArgon2idFloor.memoryCostKiB, maxUint32);
  requireInteger("timeCost", timeCost, owaspArgon2idFloor.timeCost, maxUint32);
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`argon2 ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

const phcArgon2 = /^\$(argon2(?:id|i|d))(?:\$v=(\d+))?\$([^$]+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** Reads `$argon2id$v=19$m=...,t=...,p=...$salt$hash`; undefined for anything else. */
function parseArgon2(hash: string): PhcArgon2 | undefined {
  const match = phcArgon2.exec(hash);
  const id = match?.[1];
  const params = match?.[3];
  if (id === undefined || params === undefined) return undefined;
  const values = new Map<string, number>();
  for (const pair of params.split(",")) {
    const [key, value] = pair.split("=");
    if (key === undefined || value === undefined) return undefined;
    if (key === "data") continue;
    if (!/^\d{1,10}$/.test(value) || values.has(key)) return undefined;
    values.set(key, Number(value));
  }
  const memoryCostKiB = values.get("m");
  const timeCost = values.get("t");
  const parallelism = values.get("p");
  if (memoryCostKiB === undefined || timeCost === undefined || parallelism === undefined) return undefined;
  // Hashes without v= predate Argon2 1.3 (PHC format: absent means 0x10).
  const version = match?.[2] === undefined ? 0x10 : Number(match[2]);
  return { id, version, memoryCostKiB, timeCost, parallelism };
}
