import { type Kysely, sql } from "kysely";

/**
 * What the relay and the subscribers keep: the relay's checkpoint in the log, each subscriber's
 * inbox of processed event ids (written in the same transaction as the subscriber's effect), the
 * stock movement projection, and a NOTIFY on every append so the relay wakes without polling.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("relay_checkpoints")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("transaction_id", sql`xid8`, (c) => c.notNull())
    .addColumn("position", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable("inbox")
    .addColumn("subscriber", "text", (c) => c.notNull())
    .addColumn("event_id", "uuid", (c) => c.notNull())
    .addColumn("processed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("inbox_pkey", ["subscriber", "event_id"])
    .execute();
  await db.schema
    .createTable("product_stock_movements")
    .addColumn("event_id", "uuid", (c) => c.primaryKey())
    .addColumn("product_id", "uuid", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("product_stock_movements_by_product")
    .on("product_stock_movements")
    .columns(["product_id", "version"])
    .execute();
  await sql`
    create function keel_notify_events() returns trigger language plpgsql as $$
    begin
      perform pg_notify('keel_events', '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger events_notify after insert on events
    for each statement execute function keel_notify_events()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger events_notify on events`.execute(db);
  await sql`drop function keel_notify_events()`.execute(db);
  await db.schema.dropTable("product_stock_movements").execute();
  await db.schema.dropTable("inbox").execute();
  await db.schema.dropTable("relay_checkpoints").execute();
}
