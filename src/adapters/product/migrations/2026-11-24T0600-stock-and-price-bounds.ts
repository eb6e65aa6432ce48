import { type Kysely, sql } from "kysely";

/**
 * The domain's bounds, held by the schema too: at most MAX_STOCK (1,000,000,000) units on hand and
 * reserved, and prices of at most MAX_AMOUNT_MINOR (1,000,000,000,000) minor units
 * (src/domain/product/quantity.ts, src/domain/shared/money.ts). Written out rather than imported: a
 * migration records the schema as it was made, so a later change of either bound is a new migration.
 *
 * Before these bounds the API let through stock up to the integer column's limit and v2 prices up to
 * 2^53 - 1 minor units. Rows beyond the bounds stop the migration with their ids rather than being
 * clamped: bring them within the bounds (a stock adjustment, a price change) and migrate again.
 */
const MAX_STOCK = 1_000_000_000;
const MAX_AMOUNT_MINOR = 1_000_000_000_000;

export async function up(db: Kysely<unknown>): Promise<void> {
  const beyond = await sql<{ id: string }>`
    select id from products
    where on_hand > ${MAX_STOCK} or reserved > ${MAX_STOCK} or price_minor > ${MAX_AMOUNT_MINOR}
    order by id limit 20`.execute(db);
  if (beyond.rows.length > 0) {
    throw new Error(
      `products beyond the new bounds (stock at most ${MAX_STOCK}, price at most ${MAX_AMOUNT_MINOR} minor units): ${beyond.rows
        .map((row) => row.id)
        .join(", ")}; correct them and migrate again`,
    );
  }
  await sql`
    alter table products
      add constraint products_on_hand_max check (on_hand <= ${sql.lit(MAX_STOCK)}),
      add constraint products_reserved_max check (reserved <= ${sql.lit(MAX_STOCK)}),
      add constraint products_price_max check (price_minor <= ${sql.lit(MAX_AMOUNT_MINOR)})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table products
      drop constraint products_price_max,
      drop constraint products_reserved_max,
      drop constraint products_on_hand_max`.execute(db);
}
