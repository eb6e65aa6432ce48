import type { Kysely } from "kysely";

/**
 * The worker purges expired refresh tokens by `expires_at < cut-off`; without an index on it each
 * purge would scan the whole table, which gains a row at every sign-in and every refresh.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("refresh_tokens_expires").on("refresh_tokens").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("refresh_tokens_expires").execute();
}
