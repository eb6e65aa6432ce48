import * as assert from "uvu/assert";
import { Product } from "../../../src/domain/product/product.js";
import { StockLimitExceeded } from "../../../src/domain/product/product-errors.js";
import type { ProductEvent } from "../../../src/domain/product/product-events.js";
import { MAX_STOCK } from "../../../src/domain/product/quantity.js";
import { MAX_ORDER_LINE } from "../../../src/domain/product/reservation.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { MAX_AMOUNT_MINOR, money, parseDecimal } from "../../../src/domain/shared/money.js";
import { scenario } from "../../support/aggregate-scenario.js";
import { test } from "../../support/uvu.js";
import { created, event, NOW, PRODUCT_ID } from "./fixtures.js";

/**
 * The numeric bounds a product keeps, whatever the store: stock on hand and reserved at most
 * MAX_STOCK, prices at most MAX_AMOUNT_MINOR, and the text of a stock movement storable.
 */

const product = scenario<ProductEvent, Product>(Product.fromHistory);

function refusedAs<E extends Error>(type: abstract new (...args: never[]) => E, action: () => unknown): E {
  try {
    action();
  } catch (error) {
    assert.instance(error, type);
    return error as E;
  }
  return assert.unreachable(`expected ${type.name}`) as never;
}

test("the stock bound is one billion units, half of what a 32-bit column holds", () => {
  assert.is(MAX_STOCK, 1_000_000_000);
  assert.ok(2 * MAX_STOCK <= 2 ** 31 - 1);
});

test("given stock 5, when adjusted by MAX_STOCK - 5, then it is exactly at the bound", () => {
  product
    .given([created({ stock: 5 })])
    .when((p) => p.adjustStock(MAX_STOCK - 5, "delivery", NOW))
    .then([
      { type: "product.stock_adjusted", version: 2, data: { delta: MAX_STOCK - 5, reason: "delivery" } },
    ]);
});

test("given stock at the bound, when adjusted upwards by 1, then StockLimitExceeded and nothing is recorded", () => {
  const p = Product.fromHistory([
    created({ stock: 0 }),
    event("product.stock_adjusted", 2, { delta: MAX_STOCK, reason: "count" }),
  ]);
  const error = refusedAs(StockLimitExceeded, () => p.adjustStock(1, "delivery", NOW));
  assert.is(error.code, "STOCK_LIMIT_EXCEEDED");
  assert.equal([error.onHand, error.delta, error.limit], [MAX_STOCK, 1, MAX_STOCK]);
  assert.equal(p.pendingEvents, []);
  // Going down from the bound is always possible.
  p.adjustStock(-1, "write-off", NOW);
  assert.is(p.snapshot().onHand, MAX_STOCK - 1);
});

test("given stock 5, when two adjustments of MAX_STOCK arrive, then both are refused", () => {
  const p = Product.fromHistory([created({ stock: 5 })]);
  refusedAs(StockLimitExceeded, () => p.adjustStock(MAX_STOCK, "delivery", NOW));
  refusedAs(StockLimitExceeded, () => p.adjustStock(MAX_STOCK, "delivery", NOW));
  assert.is(p.snapshot().onHand, 5);
});

test("a delta beyond MAX_STOCK either way, or initial stock beyond it, is an invalid value", () => {
  const p = Product.fromHistory([created({ stock: 5 })]);
  for (const delta of [MAX_STOCK + 1, -(MAX_STOCK + 1), 0, 1.5, Number.NaN]) {
    assert.is(refusedAs(InvalidValue, () => p.adjustStock(delta, "x", NOW)).field, "delta", String(delta));
  }
  const error = refusedAs(InvalidValue, () =>
    Product.create(
      { id: PRODUCT_ID, name: "x", sku: "X", price: money(1, "EUR"), initialStock: MAX_STOCK + 1 },
      NOW,
    ),
  );
  assert.is(error.field, "initialStock");
});

test("a reason keel cannot store, or a reservation for an order line that is not one, is refused naming it", () => {
  const p = Product.fromHistory([created({ stock: 5 })]);
  assert.is(refusedAs(InvalidValue, () => p.adjustStock(1, "count\u0000", NOW)).field, "reason");
  const orderId = "5f0c9a52-7d0b-4f7e-8a8e-2b1f3c4d5e6f";
  assert.is(
    refusedAs(InvalidValue, () => p.reserveStock({ orderId: "order-1", line: 0 }, 1, NOW)).field,
    "orderId",
  );
  for (const line of [-1, MAX_ORDER_LINE + 1, 0.5, Number.NaN]) {
    assert.is(
      refusedAs(InvalidValue, () => p.reserveStock({ orderId, line }, 1, NOW)).field,
      "line",
      String(line),
    );
  }
  for (const quantity of [0, MAX_STOCK + 1, 1.5]) {
    assert.is(
      refusedAs(InvalidValue, () => p.reserveStock({ orderId, line: 0 }, quantity, NOW)).field,
      "quantity",
      String(quantity),
    );
  }
  assert.equal(p.pendingEvents, []);
});

test("prices: MAX_AMOUNT_MINOR is the most, whether given in minor units or as a decimal", () => {
  assert.equal(money(MAX_AMOUNT_MINOR, "EUR").amountMinor, MAX_AMOUNT_MINOR);
  assert.equal(parseDecimal("10000000000.00", "EUR").amountMinor, MAX_AMOUNT_MINOR);
  assert.equal(parseDecimal("1000000000000", "JPY").amountMinor, MAX_AMOUNT_MINOR);
  assert.is(refusedAs(InvalidValue, () => money(MAX_AMOUNT_MINOR + 1, "EUR")).field, "price");
  const decimal = refusedAs(InvalidValue, () => parseDecimal("90071992547409.91", "EUR"));
  assert.equal([decimal.field, decimal.message], ["price", "EUR amounts are at most 10000000000.00"]);
});

test.run();
