import { sql } from "kysely";
import type { Credentials } from "../../../ports/user/credentials.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";

export class KyselyCredentials implements Credentials {
  constructor(private readonly scope: TransactionScope) {}

  async passwordHash(userId: string): Promise<string | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("user_credentials")
      .select("password_hash")
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return row?.password_hash;
  }

  /** In the unit of work's transaction, with the account change it belongs to. */
  async setPasswordHash(userId: string, hash: string): Promise<void> {
    await this.scope
      .current()
      .trx.insertInto("user_credentials")
      .values({ user_id: userId, password_hash: hash })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ password_hash: hash, updated_at: sql`now()` }))
      .execute();
  }
}
