import { type Kysely, sql } from "kysely";

/**
 * Product state rows: the write side loads and saves them, the query side lists them. Every list
 * sort has an index ending in id (the tie-breaker), and the name filter (a case-insensitive
 * substring) has a trigram index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await db.schema
    .createTable("products")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sku", "text", (c) => c.notNull().unique())
    .addColumn("price_minor", "bigint", (c) => c.notNull().check(sql`price_minor >= 0`))
    .addColumn("currency", "char(3)", (c) => c.notNull())
    .addColumn("on_hand", "integer", (c) => c.notNull().check(sql`on_hand >= 0`))
    .addColumn("reserved", "integer", (c) => c.notNull().check(sql`reserved >= 0`))
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addCheckConstraint("products_reserved_within_on_hand", sql`reserved <= on_hand`)
    .execute();
  await sql`create index products_name_trgm on products using gin (name gin_trgm_ops)`.execute(db);
  await sql`create index products_name_sort on products (lower(name), id)`.execute(db);
  await db.schema.createIndex("products_price_sort").on("products").columns(["price_minor", "id"]).execute();
  await db.schema.createIndex("products_created_sort").on("products").columns(["created_at", "id"]).execute();
  await db.schema.createIndex("products_updated_sort").on("products").columns(["updated_at", "id"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("products").execute();
}
