import { Kysely, sql } from "kysely";
import * as assert from "uvu/assert";
import type { Database } from "../../../src/adapters/persistence/kysely/database.js";
import { Migrations } from "../../../src/adapters/persistence/kysely/migrations.js";
import { openPglite } from "../../../src/adapters/persistence/pglite/open-pglite.js";
import { PgliteDialect } from "../../../src/adapters/persistence/pglite/pglite-dialect.js";
import { appMigrations } from "../../../src/bootstrap/app-config.js";
import { test } from "../../support/uvu.js";

/**
 * Migration 2026-11-30T1100-product-reservations on an existing database: reserved units that no
 * order line holds cannot be carried over, so it stops naming the products rather than keeping units
 * nothing could release. Run on embedded PostgreSQL (the SQL is the same on a server).
 */

// The last migration before it (the order context's), so up applies only it.
const BEFORE = "2026-11-30T1000-orders";
const RESERVATIONS = "2026-11-30T1100-product-reservations";
const PRODUCT = "0b6f7d8e-3c1a-4f5e-9a2b-1c2d3e4f5a6b";

async function databaseBeforeReservations() {
  const db = new Kysely<Database>({
    dialect: new PgliteDialect({ pglite: () => openPglite({ dataDir: "memory://" }) }),
  });
  const migrations = new Migrations(db, appMigrations);
  await migrations.to(BEFORE);
  await sql`
    insert into products (id, name, sku, price_minor, currency, on_hand, reserved, version, created_at, updated_at)
    values (${PRODUCT}, 'Stool', 'ST-1', 100, 'EUR', 10, 0, 1, now(), now())`.execute(db);
  return { db, migrations };
}

test("given a product with units reserved before reservations named order lines, when migrating, then the migration stops naming it and nothing is created", async () => {
  const { db, migrations } = await databaseBeforeReservations();
  try {
    await sql`update products set reserved = 3 where id = ${PRODUCT}`.execute(db);

    let failure: unknown;
    await migrations.up().catch((error: unknown) => {
      failure = error;
    });

    assert.instance(failure, Error);
    assert.match(String((failure as Error).message), PRODUCT);
    assert.ok(await migrations.pending().then((names) => names.includes(RESERVATIONS)));
    const table = await sql<{
      name: string | null;
    }>`select to_regclass('product_reservations') as name`.execute(db);
    assert.is(table.rows[0]?.name, null);
  } finally {
    await db.destroy();
  }
});

test("given products with nothing reserved, when migrating up and down, then product_reservations is created and dropped again", async () => {
  const { db, migrations } = await databaseBeforeReservations();
  try {
    assert.equal(await migrations.up(), [`applied ${RESERVATIONS}`]);
    const refused = await sql`
      insert into product_reservations (product_id, order_id, line, quantity)
      values (${PRODUCT}, gen_random_uuid(), 0, 0)`
      .execute(db)
      .then(
        () => "stored",
        () => "refused",
      );
    assert.is(refused, "refused", "a reservation of no units breaks the quantity check");
    assert.equal(await migrations.down(), [`reverted ${RESERVATIONS}`]);
    const table = await sql<{
      name: string | null;
    }>`select to_regclass('product_reservations') as name`.execute(db);
    assert.is(table.rows[0]?.name, null);
  } finally {
    await db.destroy();
  }
});

test.run();
