import type { Selectable } from "kysely";
import type { ApiKeyRecord, ApiKeys, NewApiKey } from "../../../ports/auth/api-keys.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import type { ApiKeysTable } from "./auth-tables.js";

/** A use is recorded at most once a minute: `touch` runs on every authenticated request. */
const TOUCH_INTERVAL_MS = 60_000;

export class KyselyApiKeys implements ApiKeys {
  constructor(private readonly scope: TransactionScope) {}

  async add(key: NewApiKey): Promise<void> {
    await this.scope
      .current()
      .trx.insertInto("api_keys")
      .values({
        id: key.id,
        user_id: key.userId,
        name: key.name,
        prefix: key.prefix,
        secret_hash: key.secretHash,
        permissions: [...key.permissions],
        created_at: key.createdAt,
        expires_at: key.expiresAt ?? null,
      })
      .execute();
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row === undefined ? undefined : apiKeyRecord(row);
  }

  async findByPrefix(prefix: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("api_keys")
      .selectAll()
      .where("prefix", "=", prefix)
      .executeTakeFirst();
    return row === undefined ? undefined : apiKeyRecord(row);
  }

  async listOfUser(userId: string): Promise<readonly ApiKeyRecord[]> {
    const rows = await this.scope
      .reader()
      .selectFrom("api_keys")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return rows.map(apiKeyRecord);
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.scope
      .current()
      .trx.updateTable("api_keys")
      .set({ revoked_at: at })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Outside any unit of work: one conditional statement, which writes nothing within the minute. */
  async touch(id: string, at: Date): Promise<void> {
    const recent = new Date(at.getTime() - TOUCH_INTERVAL_MS);
    await this.scope
      .reader()
      .updateTable("api_keys")
      .set({ last_used_at: at })
      .where("id", "=", id)
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", recent)]))
      .execute();
  }
}

function apiKeyRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    secretHash: row.secret_hash,
    permissions: row.permissions,
    createdAt: row.created_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}
