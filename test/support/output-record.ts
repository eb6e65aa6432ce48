import { createHash } from "node:crypto";

/**
 * What the test suite saw keel say — every response body the test client read, every log line a
 * test server wrote, every child process's output — and every secret the tests handled: passwords
 * they sent, tokens and API keys keel issued, and those secrets' stored hashes. uvu runs all test
 * files in one process, so the last suite (test/zz-secrets-scan.test.ts) can check that no secret
 * ever appeared where it must not.
 */

export interface Output {
  readonly source: string;
  readonly text: () => string;
  /**
   * Spans and metrics: read by tools that index and keep everything, so personal data (e-mail
   * addresses) is a leak there too, not only secrets.
   */
  readonly telemetry?: boolean;
}

export interface Secret {
  readonly kind: string;
  readonly value: string;
}

export interface Leak {
  readonly source: string;
  readonly kind: string;
  /** A few characters around the finding, with the secret itself masked. */
  readonly context: string;
}

const outputs: Output[] = [];
const secrets = new Map<string, string>();

/** Registers a source whose text is read at scan time (a log keeps growing after it is registered). */
export function recordOutput(source: string, text: string | (() => string)): void {
  outputs.push({ source, text: typeof text === "string" ? () => text : text });
}

/** Registers telemetry (exported spans, a metrics exposition): scanned for e-mail addresses as well. */
export function recordTelemetry(source: string, text: () => string): void {
  outputs.push({ source, text, telemetry: true });
}

export function recordSecret(kind: string, value: string | undefined): void {
  // Short values would match by accident; every real secret here is far longer.
  if (value !== undefined && value.length >= 8) secrets.set(value, kind);
}

/** An issued token or key, and the SHA-256 hash keel stores for it (which must never leave either). */
export function recordIssuedSecret(kind: string, value: string | undefined): void {
  if (value === undefined) return;
  recordSecret(kind, value);
  const secretPart = /^keel_[0-9a-f]{12}_(.+)$/.exec(value)?.[1] ?? value;
  recordSecret(`${kind} hash`, createHash("sha256").update(secretPart, "utf8").digest("hex"));
}

export function recorded(): { readonly outputs: readonly Output[]; readonly secrets: readonly Secret[] } {
  return { outputs, secrets: [...secrets].map(([value, kind]) => ({ kind, value })) };
}

/** A password hash has a recognisable shape, whatever its value. */
const PASSWORD_HASH = /\$argon2(?:id|i|d)\$v=\d+\$m=\d+/;

/** An e-mail address, as far as telemetry goes: something@host.tld. */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;

export function scan(sources: readonly Output[], known: readonly Secret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const output of sources) {
    const text = output.text();
    for (const secret of known) {
      const at = text.indexOf(secret.value);
      if (at >= 0)
        leaks.push({
          source: output.source,
          kind: secret.kind,
          context: around(text, at, secret.value.length),
        });
    }
    const hash = PASSWORD_HASH.exec(text);
    if (hash !== null)
      leaks.push({ source: output.source, kind: "password hash", context: around(text, hash.index, 30) });
    const email = output.telemetry === true ? EMAIL.exec(text) : null;
    if (email !== null)
      leaks.push({
        source: output.source,
        kind: "e-mail address",
        context: around(text, email.index, email[0].length),
      });
  }
  return leaks;
}

function around(text: string, at: number, length: number): string {
  return `${text.slice(Math.max(0, at - 40), at)}<secret>${text.slice(at + length, at + length + 40)}`;
}
