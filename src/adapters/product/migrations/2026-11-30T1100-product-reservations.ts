import { type Kysely, sql } from "kysely";

/**
 * Open stock reservations, one row per order line (src/domain/product/reservation.ts); a product's
 * `reserved` column stays their sum, kept by the same save. A line is 0 to MAX_ORDER_LINE (9,999) and
 * a quantity 1 to MAX_STOCK: written out, as in 2026-11-24T0600-stock-and-price-bounds, because a
 * migration records the schema as it was made.
 *
 * Units reserved before reservations named their order line cannot be attributed to one, so such rows
 * stop the migration with their ids rather than being kept as units nothing could ever release: no
 * keel command reserved stock before this one, so only a hand-made change leaves them. Correct them
 * (set `reserved` to 0 once the orders they were for are settled) and migrate again.
 */
const MAX_ORDER_LINE = 9_999;
const MAX_STOCK = 1_000_000_000;

export async function up(db: Kysely<unknown>): Promise<void> {
  const unattributed = await sql<{ id: string }>`
    select id from products where reserved > 0 order by id limit 20`.execute(db);
  if (unattributed.rows.length > 0) {
    throw new Error(
      `products with reserved units no order line holds: ${unattributed.rows
        .map((row) => row.id)
        .join(", ")}; set their reserved stock to 0 and migrate again`,
    );
  }
  await db.schema
    .createTable("product_reservations")
    .addColumn("product_id", "uuid", (c) => c.notNull().references("products.id"))
    .addColumn("order_id", "uuid", (c) => c.notNull())
    .addColumn("line", "integer", (c) =>
      c.notNull().check(sql`line between 0 and ${sql.lit(MAX_ORDER_LINE)}`),
    )
    .addColumn("quantity", "integer", (c) =>
      c.notNull().check(sql`quantity between 1 and ${sql.lit(MAX_STOCK)}`),
    )
    .addPrimaryKeyConstraint("product_reservations_pkey", ["product_id", "order_id", "line"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("product_reservations").execute();
}
