import type { Kysely } from "kysely";
import type { IdempotencyKeys, KeyClaim, StoredResponse } from "../../../ports/idempotency-keys.js";
import type { Database } from "./database.js";

/**
 * Idempotency keys in the database, outside any unit of work (the claim comes before the command's
 * transaction, the answer after it). The claim is one statement: an insert that takes over the row
 * only when it has expired or its request was abandoned, so two replicas racing for a key cannot
 * both win.
 */
export class KyselyIdempotencyKeys implements IdempotencyKeys {
  constructor(private readonly db: Kysely<Database>) {}

  async claim(
    scope: string,
    key: string,
    fingerprint: string,
    at: { readonly now: Date; readonly ttlMs: number; readonly abandonAfterMs: number },
  ): Promise<KeyClaim> {
    const row = {
      scope,
      key,
      fingerprint,
      claimed_at: at.now,
      expires_at: new Date(at.now.getTime() + at.ttlMs),
      response: null,
    };
    const abandonedBefore = new Date(at.now.getTime() - at.abandonAfterMs);
    const taken = await this.db
      .insertInto("idempotency_keys")
      .values(row)
      .onConflict((conflict) =>
        conflict
          .columns(["scope", "key"])
          .doUpdateSet({
            fingerprint: row.fingerprint,
            claimed_at: row.claimed_at,
            expires_at: row.expires_at,
            response: null,
          })
          .where((eb) =>
            eb.or([
              eb("idempotency_keys.expires_at", "<=", at.now),
              eb.and([
                eb("idempotency_keys.response", "is", null),
                eb("idempotency_keys.claimed_at", "<=", abandonedBefore),
              ]),
            ]),
          ),
      )
      .returning("scope")
      .executeTakeFirst();
    if (taken !== undefined) return { outcome: "claimed" };
    const held = await this.db
      .selectFrom("idempotency_keys")
      .select(["fingerprint", "response"])
      .where("scope", "=", scope)
      .where("key", "=", key)
      .executeTakeFirst();
    // Released between the two statements: the key is free, so claim it afresh.
    if (held === undefined) return this.claim(scope, key, fingerprint, at);
    return held.response === null
      ? { outcome: "running", fingerprint: held.fingerprint }
      : { outcome: "answered", fingerprint: held.fingerprint, response: held.response };
  }

  async answer(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.db
      .updateTable("idempotency_keys")
      .set({ response: JSON.stringify(response) })
      .where("scope", "=", scope)
      .where("key", "=", key)
      .execute();
  }

  async release(scope: string, key: string): Promise<void> {
    await this.db
      .deleteFrom("idempotency_keys")
      .where("scope", "=", scope)
      .where("key", "=", key)
      .where("response", "is", null)
      .execute();
  }
}
