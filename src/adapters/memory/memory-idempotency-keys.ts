import type { IdempotencyKeys, KeyClaim, StoredResponse } from "../../ports/idempotency-keys.js";

interface KeyRecord {
  readonly fingerprint: string;
  readonly claimedAt: number;
  readonly expiresAt: number;
  readonly response: StoredResponse | undefined;
}

/** Idempotency keys in one process (PERSISTENCE__DRIVER=memory); the SQL adapter's rules, in a map. */
export class MemoryIdempotencyKeys implements IdempotencyKeys {
  private readonly records = new Map<string, KeyRecord>();

  async claim(
    scope: string,
    key: string,
    fingerprint: string,
    at: { readonly now: Date; readonly ttlMs: number; readonly abandonAfterMs: number },
  ): Promise<KeyClaim> {
    const id = recordId(scope, key);
    const now = at.now.getTime();
    const held = this.records.get(id);
    const free =
      held === undefined ||
      held.expiresAt <= now ||
      (held.response === undefined && held.claimedAt + at.abandonAfterMs <= now);
    if (free) {
      this.records.set(id, { fingerprint, claimedAt: now, expiresAt: now + at.ttlMs, response: undefined });
      return { outcome: "claimed" };
    }
    return held.response === undefined
      ? { outcome: "running", fingerprint: held.fingerprint }
      : { outcome: "answered", fingerprint: held.fingerprint, response: structuredClone(held.response) };
  }

  async answer(scope: string, key: string, response: StoredResponse): Promise<void> {
    const id = recordId(scope, key);
    const held = this.records.get(id);
    if (held !== undefined) this.records.set(id, { ...held, response: structuredClone(response) });
  }

  async release(scope: string, key: string): Promise<void> {
    const id = recordId(scope, key);
    if (this.records.get(id)?.response === undefined) this.records.delete(id);
  }
}

const recordId = (scope: string, key: string) => JSON.stringify([scope, key]);
