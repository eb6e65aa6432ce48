import { type Kysely, sql } from "kysely";

/**
 * The event log, which is also the outbox. `position` is taken at insert, not at commit, so readers
 * order by the writing transaction's id first (`transaction_id`, xid8) and only read transactions
 * older than the oldest one still running; (aggregate_id, aggregate_version) is unique, which is
 * what makes two concurrent saves of one aggregate conflict.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("events")
    .addColumn("position", "bigserial", (c) => c.primaryKey())
    .addColumn("id", "uuid", (c) => c.notNull().unique())
    .addColumn("aggregate_type", "text", (c) => c.notNull())
    .addColumn("aggregate_id", "uuid", (c) => c.notNull())
    .addColumn("aggregate_version", "integer", (c) => c.notNull())
    .addColumn("transaction_id", sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addColumn("metadata", "jsonb", (c) => c.notNull())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .addUniqueConstraint("events_aggregate_version", ["aggregate_id", "aggregate_version"])
    .execute();
  await db.schema
    .createIndex("events_commit_order")
    .on("events")
    .columns(["transaction_id", "position"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("events").execute();
}
