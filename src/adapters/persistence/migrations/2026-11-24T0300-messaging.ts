import { type Kysely, sql } from "kysely";

/**
 * What the relay and the subscribers keep: the relay's checkpoint in the log, each subscriber's
 * inbox of processed event ids (written in the same transaction as the subscriber's effect), and a
 * NOTIFY on every append so the relay wakes without polling. (The product context's stock movement
 * projection was created here once; its own migration 2026-11-24T0310 creates it now, and on a
 * database where this one ran first it finds the table there.)
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
  await db.schema.dropTable("inbox").execute();
  await db.schema.dropTable("relay_checkpoints").execute();
}
