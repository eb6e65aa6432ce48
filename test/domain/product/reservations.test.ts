import * as assert from "uvu/assert";
import { Product } from "../../../src/domain/product/product.js";
import { InsufficientStock, OrderLineAlreadyReserved } from "../../../src/domain/product/product-errors.js";
import type { ProductEvent } from "../../../src/domain/product/product-events.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { scenario } from "../../support/aggregate-scenario.js";
import { test } from "../../support/uvu.js";
import { created, event, NOW, ORDER_A, ORDER_B, reserved } from "./fixtures.js";

/**
 * Stock reservations per order line: what the order checkout asks of a product when an order is
 * placed (reserve each line), rejected or cancelled (release), and shipped (commit).
 */

const product = scenario<ProductEvent, Product>(Product.fromHistory);

function figures(p: Product) {
  const { onHand, reserved } = p.snapshot();
  return { onHand, reserved, available: p.available };
}

// Reserving

test("given 10 on hand, when line 0 of an order reserves 4, then product.stock_reserved names the order line and 6 stay available", () => {
  const p = product
    .given([created()])
    .when((p) => p.reserveStock({ orderId: ORDER_A, line: 0 }, 4, NOW))
    .then([{ type: "product.stock_reserved", version: 2, data: { orderId: ORDER_A, line: 0, quantity: 4 } }]);
  assert.equal(figures(p), { onHand: 10, reserved: 4, available: 6 });
  assert.equal(p.reservationsOf(ORDER_A), [{ orderId: ORDER_A, line: 0, quantity: 4 }]);
});

test("given 10 on hand, when an order reserves all 10, then it is reserved and none is available", () => {
  const p = product
    .given([created()])
    .when((p) => p.reserveStock({ orderId: ORDER_A, line: 3 }, 10, NOW))
    .then([
      { type: "product.stock_reserved", version: 2, data: { orderId: ORDER_A, line: 3, quantity: 10 } },
    ]);
  assert.is(p.available, 0);
});

test("given a line reserved with 4, when the same line is reserved again with 4, then nothing is recorded", () => {
  const p = product
    .given([created(), reserved(2, ORDER_A, 0, 4)])
    .when((p) => p.reserveStock({ orderId: ORDER_A, line: 0 }, 4, NOW))
    .then([]);
  assert.equal(figures(p), { onHand: 10, reserved: 4, available: 6 });
});

test("given a line reserved with 4 and none left available, when the same line is reserved again with 4, then nothing is recorded (not InsufficientStock)", () => {
  product
    .given([created(), reserved(2, ORDER_A, 0, 4), reserved(3, ORDER_B, 0, 6)])
    .when((p) => p.reserveStock({ orderId: ORDER_A.toUpperCase(), line: 0 }, 4, NOW))
    .then([]);
});

test("given a line reserved with 4, when the same line is reserved with 5, then OrderLineAlreadyReserved, a conflict naming both quantities", () => {
  product
    .given([created(), reserved(2, ORDER_A, 0, 4)])
    .when((p) => p.reserveStock({ orderId: ORDER_A, line: 0 }, 5, NOW))
    .thenFails(OrderLineAlreadyReserved, "ORDER_LINE_ALREADY_RESERVED");
  const error = refusal(() =>
    Product.fromHistory([created(), reserved(2, ORDER_A, 0, 4)]).reserveStock(
      { orderId: ORDER_A, line: 0 },
      5,
      NOW,
    ),
  );
  assert.instance(error, OrderLineAlreadyReserved);
  assert.is((error as OrderLineAlreadyReserved).kind, "conflict");
  assert.match(error.message, /holds 4 for line 0/);
  assert.match(error.message, /as 5/);
});

test("given line 0 of an order reserved, when line 1 of the same order reserves, then both lines are held", () => {
  const p = product
    .given([created(), reserved(2, ORDER_A, 0, 4)])
    .when((p) => p.reserveStock({ orderId: ORDER_A, line: 1 }, 2, NOW))
    .then([{ type: "product.stock_reserved", version: 3, data: { orderId: ORDER_A, line: 1, quantity: 2 } }]);
  assert.equal(
    p.reservationsOf(ORDER_A).map((r) => [r.line, r.quantity]),
    [
      [0, 4],
      [1, 2],
    ],
  );
  assert.is(p.available, 4);
});

test("given 10 on hand and 7 reserved, when another order reserves 4, then InsufficientStock names 3 available and 4 asked, and nothing is recorded", () => {
  const history = [created(), reserved(2, ORDER_A, 0, 7)];
  product
    .given(history)
    .when((p) => p.reserveStock({ orderId: ORDER_B, line: 0 }, 4, NOW))
    .thenFails(InsufficientStock, "INSUFFICIENT_STOCK");
  const p = Product.fromHistory(history);
  const error = refusal(() => p.reserveStock({ orderId: ORDER_B, line: 0 }, 4, NOW));
  assert.instance(error, InsufficientStock);
  const insufficient = error as InsufficientStock;
  assert.equal([insufficient.kind, insufficient.available, insufficient.requested], ["conflict", 3, 4]);
  assert.match(error.message, /3 available, 4 requested/);
  assert.equal(p.pendingEvents, []);
  assert.equal(figures(p), { onHand: 10, reserved: 7, available: 3 });
});

test("given a product, when a reservation names an order id that is not a UUID, a negative line or no units, then InvalidValue naming the field", () => {
  const cases: [Parameters<Product["reserveStock"]>[0], number, string][] = [
    [{ orderId: "order-1", line: 0 }, 1, "orderId"],
    [{ orderId: ORDER_A, line: -1 }, 1, "line"],
    [{ orderId: ORDER_A, line: 0 }, 0, "quantity"],
  ];
  for (const [ref, quantity, field] of cases) {
    const error = refusal(() => Product.fromHistory([created()]).reserveStock(ref, quantity, NOW));
    assert.instance(error, InvalidValue);
    assert.is((error as InvalidValue).field, field);
  }
});

// Releasing

test("given an order holding two lines and another order holding one, when the first is released, then product.reservation_released gives back its 5 units and only its lines", () => {
  const p = product
    .given([created(), reserved(2, ORDER_A, 0, 3), reserved(3, ORDER_B, 0, 4), reserved(4, ORDER_A, 1, 2)])
    .when((p) => p.releaseReservation(ORDER_A, NOW))
    .then([{ type: "product.reservation_released", version: 5, data: { orderId: ORDER_A, quantity: 5 } }]);
  assert.equal(figures(p), { onHand: 10, reserved: 4, available: 6 });
  assert.equal(p.reservationsOf(ORDER_A), []);
  assert.equal(p.reservationsOf(ORDER_B), [{ orderId: ORDER_B, line: 0, quantity: 4 }]);
});

test("given an order holding nothing on the product, when it is released, then nothing is recorded", () => {
  product
    .given([created(), reserved(2, ORDER_B, 0, 4)])
    .when((p) => p.releaseReservation(ORDER_A, NOW))
    .then([]);
});

test("given an order released already, when it is released again, then nothing is recorded", () => {
  const p = product
    .given([
      created(),
      reserved(2, ORDER_A, 0, 3),
      event("product.reservation_released", 3, { orderId: ORDER_A, quantity: 3 }),
    ])
    .when((p) => p.releaseReservation(ORDER_A, NOW))
    .then([]);
  assert.equal(figures(p), { onHand: 10, reserved: 0, available: 10 });
});

test("given an order released, when one of its lines is reserved again, then it is a new reservation", () => {
  product
    .given([
      created(),
      reserved(2, ORDER_A, 0, 3),
      event("product.reservation_released", 3, { orderId: ORDER_A, quantity: 3 }),
    ])
    .when((p) => p.reserveStock({ orderId: ORDER_A, line: 0 }, 3, NOW))
    .then([{ type: "product.stock_reserved", version: 4, data: { orderId: ORDER_A, line: 0, quantity: 3 } }]);
});

test("given a product, when an order id that is not a UUID is released or committed, then InvalidValue", () => {
  product
    .given([created()])
    .when((p) => p.releaseReservation("order-1", NOW))
    .thenFails(InvalidValue);
  product
    .given([created()])
    .when((p) => p.commitReservation("order-1", NOW))
    .thenFails(InvalidValue);
});

// Committing

test("given an order holding 3 and 2 units, when it is committed, then product.reservation_committed takes 5 off stock on hand and reserved alike", () => {
  const p = product
    .given([created(), reserved(2, ORDER_A, 0, 3), reserved(3, ORDER_A, 1, 2), reserved(4, ORDER_B, 0, 1)])
    .when((p) => p.commitReservation(ORDER_A, NOW))
    .then([{ type: "product.reservation_committed", version: 5, data: { orderId: ORDER_A, quantity: 5 } }]);
  assert.equal(figures(p), { onHand: 5, reserved: 1, available: 4 });
  assert.equal(p.reservationsOf(ORDER_A), []);
});

test("given an order committed, when it is committed or released again, then nothing is recorded and the stock is taken once", () => {
  const history = [
    created(),
    reserved(2, ORDER_A, 0, 3),
    event<ProductEvent>("product.reservation_committed", 3, { orderId: ORDER_A, quantity: 3 }),
  ];
  const p = product
    .given(history)
    .when((p) => {
      p.commitReservation(ORDER_A, NOW);
      p.releaseReservation(ORDER_A, NOW);
    })
    .then([]);
  assert.equal(figures(p), { onHand: 7, reserved: 0, available: 7 });
});

test("given an order holding nothing, when it is committed, then nothing is recorded", () => {
  product
    .given([created()])
    .when((p) => p.commitReservation(ORDER_A, NOW))
    .then([]);
});

// Stock adjustments around reservations

test("given 10 on hand and 8 reserved, when stock is adjusted by -2, then it is recorded and nothing is available", () => {
  const p = product
    .given([created(), reserved(2, ORDER_A, 0, 8)])
    .when((p) => p.adjustStock(-2, "write-off", NOW))
    .then([{ type: "product.stock_adjusted", version: 3, data: { delta: -2, reason: "write-off" } }]);
  assert.equal(figures(p), { onHand: 8, reserved: 8, available: 0 });
});

test("given 10 on hand and 8 reserved, when stock is adjusted by -3, then InsufficientStock names 2 available: reserved units are not written off", () => {
  const p = Product.fromHistory([created(), reserved(2, ORDER_A, 0, 8)]);
  const error = refusal(() => p.adjustStock(-3, "write-off", NOW));
  assert.instance(error, InsufficientStock);
  assert.equal([(error as InsufficientStock).available, (error as InsufficientStock).requested], [2, 3]);
});

test("given an order committed, when the freed stock is written off, then what remains on hand may go to 0", () => {
  product
    .given([
      created(),
      reserved(2, ORDER_A, 0, 8),
      event("product.reservation_committed", 3, { orderId: ORDER_A, quantity: 8 }),
    ])
    .when((p) => p.adjustStock(-2, "write-off", NOW))
    .then([{ type: "product.stock_adjusted", version: 4, data: { delta: -2, reason: "write-off" } }]);
});

// Replay

test("fromHistory of reservations made in any order reproduces the live state, reservations in (order, line) order", () => {
  const live = Product.fromHistory([created()]);
  live.reserveStock({ orderId: ORDER_B, line: 0 }, 1, NOW);
  live.reserveStock({ orderId: ORDER_A, line: 2 }, 2, NOW);
  live.reserveStock({ orderId: ORDER_A, line: 0 }, 3, NOW);
  live.releaseReservation(ORDER_B, NOW);
  live.reserveStock({ orderId: ORDER_B, line: 1 }, 1, NOW);
  const rebuilt = Product.fromHistory([created(), ...live.pendingEvents]);
  assert.equal(rebuilt.snapshot(), live.snapshot());
  assert.is(rebuilt.version, 6);
  assert.equal(
    rebuilt.snapshot().reservations.map((r) => [r.orderId, r.line]),
    [
      [ORDER_A, 0],
      [ORDER_A, 2],
      [ORDER_B, 1],
    ],
  );
  assert.equal(figures(rebuilt), { onHand: 10, reserved: 6, available: 4 });
});

function refusal(act: () => void): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a refusal");
}

test.run();
