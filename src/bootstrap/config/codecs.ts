import { type Either, isLeft, left, right } from "fp-ts/lib/Either.js";
import * as t from "io-ts";

/** Why a raw value was refused, beyond the codec's name; undefined when the name says it all. */
type Detail = string | undefined;

/**
 * Every setting arrives as a string (from the environment or a .env file), so each codec decodes that string.
 * The codec's name is the human expectation shown in errors and in the config table.
 */
function fromEnvString<A>(
  name: string,
  is: (u: unknown) => u is A,
  parse: (raw: string) => Either<Detail, A>,
  encode: (value: A) => string,
): t.Type<A, string, unknown> {
  return new t.Type<A, string, unknown>(
    name,
    is,
    (u, context) => {
      if (typeof u !== "string") return t.failure(u, context);
      const parsed = parse(u);
      return isLeft(parsed) ? t.failure(u, context, parsed.left) : t.success(parsed.right);
    },
    encode,
  );
}

const refuse = (detail?: string): Either<Detail, never> => left(detail);

export function integer(min: number, max: number): t.Type<number, string, unknown> {
  const inRange = (u: unknown): u is number =>
    Number.isSafeInteger(u) && Number(u) >= min && Number(u) <= max;
  return fromEnvString(
    `integer ${min}..${max}`,
    inRange,
    (raw) => {
      const value = Number(raw);
      return /^-?(0|[1-9]\d*)$/.test(raw) && inRange(value) ? right(value) : refuse();
    },
    String,
  );
}

/** A decimal fraction in 0..1 (a sampling ratio). */
export const ratio: t.Type<number, string, unknown> = fromEnvString(
  "number 0..1",
  (u): u is number => typeof u === "number" && u >= 0 && u <= 1,
  (raw) => {
    const value = Number(raw);
    return /^(0|1|0?\.\d+|1\.0+)$/.test(raw) && value >= 0 && value <= 1 ? right(value) : refuse();
  },
  String,
);

/** An http:// or https:// address (a collector endpoint). */
export const httpUrl: t.Type<string, string, unknown> = fromEnvString(
  "http(s)://host:port/path",
  (u): u is string => typeof u === "string" && /^https?:\/\//.test(u),
  (raw) => (/^https?:\/\/[^\s/]+\S*$/.test(raw) ? right(raw) : refuse("must start with http:// or https://")),
  String,
);

export const boolean: t.Type<boolean, string, unknown> = fromEnvString(
  "boolean (true/false/1/0)",
  (u): u is boolean => typeof u === "boolean",
  (raw) => {
    if (raw === "true" || raw === "1") return right(true);
    if (raw === "false" || raw === "0") return right(false);
    return refuse();
  },
  String,
);

export function oneOf<const V extends string>(values: readonly V[]): t.Type<V, string, unknown> {
  const is = (u: unknown): u is V => values.some((value) => value === u);
  return fromEnvString(`one of ${values.join("|")}`, is, (raw) => (is(raw) ? right(raw) : refuse()), String);
}

export const nonEmptyString: t.Type<string, string, unknown> = fromEnvString(
  "non-empty string",
  (u): u is string => typeof u === "string" && u.trim() !== "",
  (raw) => (raw.trim() === "" ? refuse() : right(raw)),
  String,
);

/**
 * CORS compares origins as exact strings, so only the canonical form (what a browser sends) can ever match:
 * lower-case host, no default port, no path or trailing slash.
 */
function originProblem(item: string): Detail {
  if (item === "*") return undefined;
  const url = URL.canParse(item) ? new URL(item) : undefined;
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    return `${JSON.stringify(item)} is not an http(s) origin`;
  }
  return url.origin === item ? undefined : `${JSON.stringify(item)} is not canonical, write ${url.origin}`;
}

export const origins: t.Type<ReadonlyArray<string>, string, unknown> = fromEnvString(
  "comma-separated origins (http(s)://host[:port] or *), or empty",
  (u): u is ReadonlyArray<string> => Array.isArray(u) && u.every((item) => typeof item === "string"),
  (raw) => {
    if (raw.trim() === "") return right([]);
    const items = raw.split(",").map((item) => item.trim());
    const problem = items.map(originProblem).find((detail) => detail !== undefined);
    return problem === undefined ? right(items) : refuse(problem);
  },
  (items) => items.join(","),
);

/** A role's name, as AUTH__ROLE_PERMISSIONS spells it. */
const ROLE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

export const roleNames: t.Type<ReadonlyArray<string>, string, unknown> = fromEnvString(
  "comma-separated role names (e.g. customer,reviewer), or empty",
  (u): u is ReadonlyArray<string> => Array.isArray(u) && u.every((item) => typeof item === "string"),
  (raw) => {
    if (raw.trim() === "") return right([]);
    const items = raw.split(",").map((item) => item.trim());
    const bad = items.find((item) => !ROLE_NAME.test(item));
    return bad === undefined
      ? right([...new Set(items)])
      : refuse(`${JSON.stringify(bad)} is not a role name`);
  },
  (items) => items.join(","),
);

const isCalendarDate = (u: unknown): u is string =>
  typeof u === "string" &&
  /^\d{4}-\d{2}-\d{2}$/.test(u) &&
  !Number.isNaN(Date.parse(u)) &&
  // Date rolls 2025-02-30 over to March 2; only a real calendar day survives the round trip.
  new Date(`${u}T00:00:00Z`).toISOString().startsWith(u);

export const optionalIsoDate: t.Type<string | undefined, string, unknown> = fromEnvString(
  "date YYYY-MM-DD, or empty",
  (u): u is string | undefined => u === undefined || isCalendarDate(u),
  (raw) => {
    if (raw === "") return right(undefined);
    return isCalendarDate(raw) ? right(raw) : refuse();
  },
  (value) => value ?? "",
);

function postgresUrlProblem(raw: string): Detail | null {
  if (!URL.canParse(raw)) return "not a URL";
  const { protocol } = new URL(raw);
  return protocol === "postgres:" || protocol === "postgresql:" ? null : "must start with postgres://";
}

export const postgresUrl: t.Type<string, string, unknown> = fromEnvString(
  "postgres://user:password@host:port/database",
  (u): u is string => typeof u === "string" && postgresUrlProblem(u) === null,
  (raw) => {
    const problem = postgresUrlProblem(raw);
    return problem === null ? right(raw) : refuse(problem);
  },
  String,
);

/** An optional URL; empty means "not set" (a .env line can only blank a key, not remove it). */
export const optionalPostgresUrl: t.Type<string | undefined, string, unknown> = fromEnvString(
  "postgres://… URL, or empty",
  (u): u is string | undefined => u === undefined || postgresUrl.is(u),
  (raw) => {
    if (raw === "") return right(undefined);
    const problem = postgresUrlProblem(raw);
    return problem === null ? right(raw) : refuse(problem);
  },
  (value) => value ?? "",
);

/** Delays in ms, comma-separated and increasing, e.g. "100,1000,5000". */
export const backoffSchedule: t.Type<readonly number[], string, unknown> = fromEnvString(
  "increasing delays in ms, e.g. 100,1000,5000",
  (u): u is readonly number[] => Array.isArray(u) && u.every((n) => Number.isSafeInteger(n) && n >= 0),
  (raw) => {
    const delays = raw.split(",").map((part) => part.trim());
    if (delays.some((d) => !/^\d{1,7}$/.test(d))) return refuse("each delay must be a whole number of ms");
    const values = delays.map(Number);
    return values.every((v, i) => i === 0 || v >= (values[i - 1] ?? 0))
      ? right(values)
      : refuse("delays must not decrease");
  },
  (value) => value.join(","),
);

export const natsUrl: t.Type<string, string, unknown> = fromEnvString(
  "nats://host:port",
  (u): u is string => typeof u === "string" && /^(nats|tls|ws|wss):\/\//.test(u),
  (raw) => (/^(nats|tls|ws|wss):\/\/\S+$/.test(raw) ? right(raw) : refuse("must start with nats://")),
  String,
);

export const emailAddress: t.Type<string, string, unknown> = fromEnvString(
  "e-mail address",
  (u): u is string => typeof u === "string" && /^[^\s@]+@[^\s@]+$/.test(u),
  (raw) => (/^[^\s@]+@[^\s@]+$/.test(raw) ? right(raw) : refuse()),
  String,
);

/** Any text, empty allowed (read as "not set"). */
export const optionalText: t.Type<string | undefined, string, unknown> = fromEnvString(
  "text, or empty",
  (u): u is string | undefined => u === undefined || typeof u === "string",
  (raw) => right(raw === "" ? undefined : raw),
  (value) => value ?? "",
);

export const optionalEmailAddress: t.Type<string | undefined, string, unknown> = fromEnvString(
  "e-mail address, or empty",
  (u): u is string | undefined => u === undefined || (typeof u === "string" && /^[^\s@]+@[^\s@]+$/.test(u)),
  (raw) => (raw === "" ? right(undefined) : /^[^\s@]+@[^\s@]+$/.test(raw) ? right(raw) : refuse()),
  (value) => value ?? "",
);

export const redisUrl: t.Type<string, string, unknown> = fromEnvString(
  "redis://host:port",
  (u): u is string => typeof u === "string" && /^rediss?:\/\//.test(u),
  (raw) => (/^rediss?:\/\/\S+$/.test(raw) ? right(raw) : refuse("must start with redis:// or rediss://")),
  String,
);

/** Role name to permissions; roles separated by `;`, permissions by spaces or commas. */
export function rolePermissions(
  known: readonly string[],
): t.Type<Readonly<Record<string, readonly string[]>>, string, unknown> {
  const isMap = (u: unknown): u is Readonly<Record<string, readonly string[]>> =>
    typeof u === "object" && u !== null && Object.values(u).every(Array.isArray);
  return fromEnvString(
    "role=permission ...; role=... (e.g. admin=product:write user:manage)",
    isMap,
    (raw) => {
      const map: Record<string, string[]> = {};
      for (const part of raw.split(";").map((p) => p.trim())) {
        if (part === "") continue;
        const [role, list, extra] = part.split("=");
        if (role === undefined || list === undefined || extra !== undefined)
          return refuse(`"${part}" is not role=...`);
        const name = role.trim();
        if (!ROLE_NAME.test(name)) return refuse(`"${name}" is not a role name`);
        const permissions = list.split(/[\s,]+/).filter((p) => p !== "");
        const unknown = permissions.find((p) => !known.includes(p));
        if (unknown !== undefined)
          return refuse(`"${unknown}" is not a permission (known: ${known.join(", ")})`);
        map[name] = [...new Set(permissions)];
      }
      return right(map);
    },
    (value) =>
      Object.entries(value)
        .map(([role, permissions]) => `${role}=${permissions.join(" ")}`)
        .join("; "),
  );
}

/** A JSON value given as text (JWKs); empty means not set. Only well-formed JSON is accepted. */
export const optionalJson: t.Type<unknown, string, unknown> = fromEnvString(
  "JSON, or empty",
  (_u): _u is unknown => true,
  (raw) => {
    if (raw.trim() === "") return right(undefined);
    try {
      return right(JSON.parse(raw) as unknown);
    } catch {
      return refuse("is not valid JSON");
    }
  },
  (value) => (value === undefined ? "" : JSON.stringify(value)),
);

/** A plugin's name: a folder under plugins/ (kebab-case) or an npm package name, scoped or not. */
const PLUGIN_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

export const pluginNames: t.Type<ReadonlyArray<string>, string, unknown> = fromEnvString(
  "comma-separated plugin names (plugins/<name> or an installed package), or empty",
  (u): u is ReadonlyArray<string> => Array.isArray(u) && u.every((item) => typeof item === "string"),
  (raw) => {
    if (raw.trim() === "") return right([]);
    const items = raw.split(",").map((item) => item.trim());
    const bad = items.find((item) => !PLUGIN_NAME.test(item));
    return bad === undefined
      ? right([...new Set(items)])
      : refuse(`${JSON.stringify(bad)} is not a plugin name`);
  },
  (items) => items.join(","),
);
