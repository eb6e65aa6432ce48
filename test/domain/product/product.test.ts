import * as assert from "uvu/assert";
import { Product } from "../../../src/domain/product/product.js";
import { InsufficientStock } from "../../../src/domain/product/product-errors.js";
import type { ProductEvent } from "../../../src/domain/product/product-events.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { money } from "../../../src/domain/shared/money.js";
import { scenario } from "../../support/aggregate-scenario.js";
import { test } from "../../support/uvu.js";
import { created, event, NOW, ORDER_A, ORDER_B, PRODUCT_ID, reserved } from "./fixtures.js";

const product = scenario<ProductEvent, Product>(Product.fromHistory);

test("when a product is created, then product.created records its normalised name, SKU, price and stock", () => {
  const p = Product.create(
    { id: PRODUCT_ID, name: "  Blue   widget ", sku: "wid-7", price: money(250, "usd"), initialStock: 3 },
    NOW,
  );
  assert.equal(p.pendingEvents, [
    {
      type: "product.created",
      aggregateId: PRODUCT_ID,
      version: 1,
      occurredAt: NOW.toISOString(),
      data: { name: "Blue widget", sku: "WID-7", priceMinor: 250, currency: "USD", stock: 3 },
    },
  ]);
  assert.is(p.available, 3);
});

test("when a product is created with a blank name or a malformed SKU, then it is refused", () => {
  const base = { id: PRODUCT_ID, price: money(1, "EUR"), initialStock: 0 };
  assert.throws(
    () => Product.create({ ...base, name: "   ", sku: "A" }, NOW),
    (e: unknown) => e instanceof InvalidValue,
  );
  assert.throws(
    () => Product.create({ ...base, name: "x", sku: "A--B" }, NOW),
    (e: unknown) => e instanceof InvalidValue,
  );
  assert.throws(
    () => Product.create({ ...base, name: "x", sku: "A", initialStock: -1 }, NOW),
    (e: unknown) => e instanceof InvalidValue,
  );
});

test("given a product, when renamed, then product.renamed", () => {
  product
    .given([created()])
    .when((p) => p.rename("Gadget", NOW))
    .then([{ type: "product.renamed", version: 2, data: { name: "Gadget" } }]);
});

test("given a product, when renamed to its current name, then nothing is recorded", () => {
  product
    .given([created()])
    .when((p) => p.rename(" Widget ", NOW))
    .then([]);
});

test("given a product, when its price changes, then product.price_changed; the same price records nothing", () => {
  product
    .given([created()])
    .when((p) => p.changePrice(money(2500, "EUR"), NOW))
    .then([{ type: "product.price_changed", version: 2, data: { priceMinor: 2500, currency: "EUR" } }]);
  product
    .given([created()])
    .when((p) => p.changePrice(money(1999, "EUR"), NOW))
    .then([]);
});

test("given 10 on hand, when stock is adjusted by +5 and -15, then both are recorded and 0 remain", () => {
  const p = product
    .given([created()])
    .when((p) => {
      p.adjustStock(5, "delivery", NOW);
      p.adjustStock(-15, "stock count", NOW);
    })
    .then([
      { type: "product.stock_adjusted", version: 2, data: { delta: 5, reason: "delivery" } },
      { type: "product.stock_adjusted", version: 3, data: { delta: -15, reason: "stock count" } },
    ]);
  assert.is(p.available, 0);
});

test("given 10 on hand, when stock is adjusted by -11, then InsufficientStock", () => {
  product
    .given([created()])
    .when((p) => p.adjustStock(-11, "write-off", NOW))
    .thenFails(InsufficientStock, "INSUFFICIENT_STOCK");
});

test("given 10 on hand and 8 reserved, when stock is adjusted by -3, then InsufficientStock (reserved units stay)", () => {
  product
    .given([created(), reserved(2, ORDER_A, 0, 8)])
    .when((p) => p.adjustStock(-3, "write-off", NOW))
    .thenFails(InsufficientStock);
});

test("given a product, when stock is adjusted by 0 or without a reason, then it is refused", () => {
  product
    .given([created()])
    .when((p) => p.adjustStock(0, "nothing", NOW))
    .thenFails(InvalidValue);
  product
    .given([created()])
    .when((p) => p.adjustStock(1, "  ", NOW))
    .thenFails(InvalidValue);
});

test("fromHistory of the events a product emitted reproduces the same state and version", () => {
  const p = Product.create(
    { id: PRODUCT_ID, name: "Widget", sku: "W-1", price: money(100, "EUR"), initialStock: 5 },
    NOW,
  );
  p.rename("Gizmo", NOW);
  p.changePrice(money(120, "GBP"), NOW);
  p.adjustStock(3, "delivery", NOW);
  p.reserveStock({ orderId: ORDER_A, line: 1 }, 2, NOW);
  p.reserveStock({ orderId: ORDER_A, line: 0 }, 4, NOW);
  p.commitReservation(ORDER_A, NOW);
  p.reserveStock({ orderId: ORDER_B, line: 0 }, 1, NOW);
  const rebuilt = Product.fromHistory(p.pendingEvents);
  assert.equal(rebuilt.snapshot(), p.snapshot());
  assert.is(rebuilt.version, p.version);
  assert.equal([rebuilt.snapshot().onHand, rebuilt.snapshot().reserved, rebuilt.available], [2, 1, 1]);
  assert.equal(rebuilt.pendingEvents, []);
});

test("fromHistory refuses a history with a gap in versions", () => {
  assert.throws(
    () => Product.fromHistory([created(), event("product.renamed", 3, { name: "X" })]),
    /out of order/,
  );
});

test.run();
