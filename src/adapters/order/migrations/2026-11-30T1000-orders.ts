import { type Kysely, sql } from "kysely";

/**
 * Orders (state as JSON, with the columns listings filter and sort on) and the per-customer order
 * summary. Every listing sort has an index ending in id, the tie-breaker: a customer's own listing by
 * (customer_id, …), the back office's by the column alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("orders")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("customer_id", "uuid", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("currency", "char(3)", (c) => c.notNull())
    .addColumn("total_minor", "bigint", (c) => c.notNull().check(sql`total_minor >= 0`))
    .addColumn("placed_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("state", "jsonb", (c) => c.notNull())
    .execute();
  for (const [name, columns] of [
    ["orders_customer_placed", ["customer_id", "placed_at", "id"]],
    ["orders_customer_total", ["customer_id", "total_minor", "id"]],
    ["orders_placed", ["placed_at", "id"]],
    ["orders_total", ["total_minor", "id"]],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on("orders")
      .columns([...columns])
      .execute();
  }

  await db.schema
    .createTable("order_customer_summaries")
    .addColumn("customer_id", "uuid", (c) => c.primaryKey())
    .addColumn("order_count", "integer", (c) => c.notNull().check(sql`order_count >= 0`))
    .addColumn("last_order_id", "uuid")
    .addColumn("last_order_at", "timestamptz")
    .execute();
  await db.schema
    .createTable("order_customer_spending")
    .addColumn("customer_id", "uuid", (c) => c.notNull())
    .addColumn("currency", "char(3)", (c) => c.notNull())
    .addColumn("amount_minor", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("order_customer_spending_pkey", ["customer_id", "currency"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("order_customer_spending").execute();
  await db.schema.dropTable("order_customer_summaries").execute();
  await db.schema.dropTable("orders").execute();
}
