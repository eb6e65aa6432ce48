import * as assert from "uvu/assert";
import { Order } from "../../../src/domain/order/order.js";
import type { OrderState } from "../../../src/domain/order/order-state.js";
import { test } from "../../support/uvu.js";
import { ADDRESS, ADMIN_ID, CUSTOMER_ID, event, LINES, NOW, ORDER_ID, placed } from "./fixtures.js";

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

function placedOrder(): Order {
  return Order.place({ id: ORDER_ID, customerId: CUSTOMER_ID, lines: LINES, shippingAddress: ADDRESS }, NOW);
}

test("fromHistory of the events of a delivered order (with a declined payment on the way) reproduces it", () => {
  const order = placedOrder();
  order.confirm(at(1));
  order.declinePayment("insufficient funds", at(2));
  order.markPaid("pay-7", at(3));
  order.ship(at(60));
  order.markDelivered(at(2 * 24 * 60));

  const rebuilt = Order.fromHistory(order.pendingEvents);
  assert.equal(rebuilt.snapshot(), order.snapshot());
  assert.is(rebuilt.version, 6);
  assert.equal(rebuilt.pendingEvents, []);
  assert.equal(
    {
      status: rebuilt.status,
      placedAt: rebuilt.snapshot().placedAt,
      deliveredAt: rebuilt.snapshot().deliveredAt,
      updatedAt: rebuilt.snapshot().updatedAt,
    },
    {
      status: "delivered",
      placedAt: NOW.toISOString(),
      deliveredAt: at(2 * 24 * 60).toISOString(),
      updatedAt: at(2 * 24 * 60).toISOString(),
    },
  );
});

test("fromHistory of a rejected order, and of one paid then cancelled by an admin, reproduces each", () => {
  const rejected = placedOrder();
  rejected.reject("table: 0 available, 1 requested", at(1));
  assert.equal(Order.fromHistory(rejected.pendingEvents).snapshot(), rejected.snapshot());

  const cancelled = placedOrder();
  cancelled.confirm(at(1));
  cancelled.markPaid("pay-8", at(2));
  cancelled.cancel({ kind: "admin", userId: ADMIN_ID }, "address undeliverable", at(3));
  const rebuilt = Order.fromHistory(cancelled.pendingEvents);
  assert.equal(rebuilt.snapshot(), cancelled.snapshot());
  assert.equal(rebuilt.snapshot().cancellation?.refundDue, true);
  assert.equal(rebuilt.snapshot().payment?.reference, "pay-8");
});

test("fromSnapshot of a state stored as JSON equals fromHistory of the same events", () => {
  const order = placedOrder();
  order.confirm(at(1));
  order.cancel({ kind: "payment-deadline" }, "not paid in time", at(31));
  const stored = JSON.parse(JSON.stringify(order.snapshot())) as OrderState;

  const loaded = Order.fromSnapshot(stored, order.version);
  const replayed = Order.fromHistory(order.pendingEvents);
  assert.equal(loaded.snapshot(), replayed.snapshot());
  assert.is(loaded.version, replayed.version);
  assert.equal(loaded.total, { amountMinor: 70998, currency: "EUR" });
});

test("fromHistory refuses a history with a gap in versions, or one that does not start with order.placed", () => {
  assert.throws(() => Order.fromHistory([placed(), event("order.shipped", 3, {})]), /out of order/);
  assert.throws(
    () => Order.fromHistory([event("order.confirmed", 1, {})]),
    /order.confirmed before order.placed/,
  );
  assert.throws(() => Order.fromHistory([]), /empty history/);
});

test.run();
