import type { Kysely } from "kysely";

/**
 * The audit log: one row per command that succeeded. Indexed for the listing: newest first, and by
 * principal or command name then time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("audit_log")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("principal", "text", (c) => c.notNull())
    .addColumn("correlation_id", "text", (c) => c.notNull())
    .addColumn("aggregate_id", "text")
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_by_time").on("audit_log").columns(["recorded_at", "id"]).execute();
  await db.schema
    .createIndex("audit_log_by_principal")
    .on("audit_log")
    .columns(["principal", "recorded_at", "id"])
    .execute();
  await db.schema
    .createIndex("audit_log_by_message")
    .on("audit_log")
    .columns(["message", "recorded_at", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("audit_log").execute();
}
