import type { Kysely } from "kysely";

/**
 * The stock movement projection: one row per stock event, read as a product's stock history. "If not
 * exists": databases made before the product context owned its migrations got it from the
 * foundation's messaging migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("product_stock_movements")
    .ifNotExists()
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
    .ifNotExists()
    .on("product_stock_movements")
    .columns(["product_id", "version"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("product_stock_movements").execute();
}
