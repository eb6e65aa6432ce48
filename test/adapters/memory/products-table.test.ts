import * as assert from "uvu/assert";
import { CheckViolation, MemoryDatabase } from "../../../src/adapters/memory/memory-database.js";
import { MemoryUnitOfWork } from "../../../src/adapters/memory/memory-unit-of-work.js";
import { MemoryProductRepository } from "../../../src/adapters/product/memory/memory-product-repository.js";
import { Product } from "../../../src/domain/product/product.js";
import type { ProductId } from "../../../src/domain/product/product-id.js";
import type { ProductState } from "../../../src/domain/product/product-state.js";
import { MAX_STOCK } from "../../../src/domain/product/quantity.js";
import { MAX_AMOUNT_MINOR } from "../../../src/domain/shared/money.js";
import { rejects } from "../../support/rejects.js";
import { SequentialIds } from "../../support/sequential-ids.js";
import { test } from "../../support/uvu.js";

/**
 * The memory store keeps the SQL schema's CHECK constraints on products: should the domain ever let
 * a row beyond its bounds through, memory refuses it as PostgreSQL does, instead of keeping it.
 */

const ID = "0b6f7d8e-3c1a-4f5e-9a2b-1c2d3e4f5a6b";
const meta = { correlationId: "check", principal: "system:test" };

function stateOf(overrides: Partial<ProductState>): ProductState {
  return {
    id: ID,
    name: "Widget",
    sku: "WID-1",
    priceMinor: 100,
    currency: "EUR",
    onHand: 5,
    reserved: 0,
    reservations: [],
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

/** A product loaded from a row already beyond a bound, then changed: the save carries the bad row. */
async function saveBeyond(overrides: Partial<ProductState>) {
  const ids = new SequentialIds();
  const db = new MemoryDatabase(() => ids.next());
  const products = new MemoryProductRepository(db);
  const product = Product.fromSnapshot(stateOf(overrides), 0);
  product.rename("Renamed widget", new Date("2026-01-02T00:00:00.000Z"));
  const error = await rejects(
    () => new MemoryUnitOfWork(db).run(meta, () => products.save(product)),
    CheckViolation,
  );
  assert.is(await products.get(ID as ProductId), undefined, "nothing stored");
  return error.constraint;
}

test("given stock beyond MAX_STOCK, when saved, then products_on_hand_max refuses the row", async () => {
  assert.is(await saveBeyond({ onHand: MAX_STOCK + 1 }), "products_on_hand_max");
});

test("given a price beyond MAX_AMOUNT_MINOR, when saved, then products_price_max refuses the row", async () => {
  assert.is(await saveBeyond({ priceMinor: MAX_AMOUNT_MINOR + 1 }), "products_price_max");
});

test("given more reserved than on hand, when saved, then products_reserved_within_on_hand refuses it", async () => {
  assert.is(await saveBeyond({ onHand: 1, reserved: 2 }), "products_reserved_within_on_hand");
});

test("given a row within every bound, when saved, then it is stored", async () => {
  const ids = new SequentialIds();
  const db = new MemoryDatabase(() => ids.next());
  const products = new MemoryProductRepository(db);
  const product = Product.fromSnapshot(stateOf({ onHand: MAX_STOCK, priceMinor: MAX_AMOUNT_MINOR }), 0);
  product.rename("Renamed widget", new Date("2026-01-02T00:00:00.000Z"));
  await new MemoryUnitOfWork(db).run(meta, () => products.save(product));
  assert.is((await products.get(ID as ProductId))?.snapshot().onHand, MAX_STOCK);
});

test.run();
