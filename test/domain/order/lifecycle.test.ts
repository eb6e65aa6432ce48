import * as assert from "uvu/assert";
import { Order } from "../../../src/domain/order/order.js";
import { IllegalOrderTransition } from "../../../src/domain/order/order-errors.js";
import type { OrderEvent } from "../../../src/domain/order/order-events.js";
import type { OrderStatus } from "../../../src/domain/order/order-status.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { scenario } from "../../support/aggregate-scenario.js";
import { test } from "../../support/uvu.js";
import { ADMIN_ID, assertReplays, CUSTOMER_ID, event, historyTo, NOW } from "./fixtures.js";

const scenarios = scenario<OrderEvent, Order>(Order.fromHistory);

/** given/when/then, and after each `then` the order rebuilt from its log equals the live one. */
function given(history: readonly OrderEvent[]) {
  return {
    when(act: (order: Order) => void) {
      const step = scenarios.given(history).when(act);
      return {
        // biome-ignore lint/suspicious/noThenProperty: the spec reads given/when/then; scenarios are never awaited
        then(expected: Parameters<typeof step.then>[0]): Order {
          const order = step.then(expected);
          assertReplays(history, order);
          return order;
        },
        thenRefused(): IllegalOrderTransition {
          const order = Order.fromHistory(history);
          try {
            act(order);
          } catch (error) {
            assert.instance(error, IllegalOrderTransition);
            assert.is((error as IllegalOrderTransition).kind, "conflict");
            assert.equal(order.pendingEvents, [], "a refused command records nothing");
            return error as IllegalOrderTransition;
          }
          return assert.unreachable("expected IllegalOrderTransition") as never;
        },
      };
    },
  };
}

const customer = { kind: "customer", userId: CUSTOMER_ID } as const;
const admin = { kind: "admin", userId: ADMIN_ID } as const;
const deadline = { kind: "payment-deadline" } as const;

test("given a placed order, when all its stock is reserved, then order.confirmed", () => {
  const order = given(historyTo("placed"))
    .when((o) => o.confirm(NOW))
    .then([{ type: "order.confirmed", version: 2, data: {} }]);
  assert.is(order.status, "confirmed");
  assert.is(order.snapshot().confirmedAt, NOW.toISOString());
});

test("given a placed order, when stock cannot be reserved, then order.rejected with the reason", () => {
  const order = given(historyTo("placed"))
    .when((o) => o.reject("  chair: 1 available, 2 requested ", NOW))
    .then([{ type: "order.rejected", version: 2, data: { reason: "chair: 1 available, 2 requested" } }]);
  assert.is(order.snapshot().rejectionReason, "chair: 1 available, 2 requested");
});

test("given a placed order, when rejected without a reason, then it is refused as an invalid value", () => {
  scenarios
    .given(historyTo("placed"))
    .when((o) => o.reject("  ", NOW))
    .thenFails(InvalidValue);
});

test("given a confirmed order, when paid, then order.paid with the payment reference", () => {
  const order = given(historyTo("confirmed"))
    .when((o) => o.markPaid("pay-1", NOW))
    .then([{ type: "order.paid", version: 3, data: { paymentReference: "pay-1" } }]);
  assert.equal(order.snapshot().payment, { reference: "pay-1", paidAt: NOW.toISOString() });
});

test("given a paid order, when the same payment is reported again (a duplicate callback), then nothing is recorded, even after shipping or cancelling", () => {
  for (const status of ["paid", "shipped", "delivered"] as const) {
    given(historyTo(status))
      .when((o) => o.markPaid(" pay-1 ", NOW))
      .then([]);
  }
  const cancelledAfterPaying = [
    ...historyTo("paid"),
    event("order.cancelled", 4, {
      by: admin,
      reason: "fraud check",
      refundDue: true,
      previousStatus: "paid",
    }),
  ];
  given(cancelledAfterPaying)
    .when((o) => o.markPaid("pay-1", NOW))
    .then([]);
});

test("given a paid order, when a second, different payment is reported, then it is refused naming the first", () => {
  const error = given(historyTo("paid"))
    .when((o) => o.markPaid("pay-2", NOW))
    .thenRefused();
  assert.equal([error.code, error.status, error.action], ["ILLEGAL_ORDER_TRANSITION", "paid", "pay"]);
  assert.match(error.message, /already paid by pay-1/);
});

test("given a confirmed order, when a payment is declined, then order.payment_declined and it stays confirmed, payable again", () => {
  const history = historyTo("confirmed");
  const order = given(history)
    .when((o) => o.declinePayment("card expired", NOW))
    .then([{ type: "order.payment_declined", version: 3, data: { reason: "card expired" } }]);
  assert.is(order.status, "confirmed");
  assert.equal(order.snapshot().lastDecline, { reason: "card expired", at: NOW.toISOString() });

  given([...history, ...order.pendingEvents])
    .when((o) => o.markPaid("pay-2", NOW))
    .then([{ type: "order.paid", version: 4, data: { paymentReference: "pay-2" } }]);
});

test("given a placed order, when its customer cancels, then order.cancelled by them, with no refund due", () => {
  const order = given(historyTo("placed"))
    .when((o) => o.cancel(customer, "ordered by mistake", NOW))
    .then([
      {
        type: "order.cancelled",
        version: 2,
        data: { by: customer, reason: "ordered by mistake", refundDue: false, previousStatus: "placed" },
      },
    ]);
  assert.equal(order.snapshot().cancellation, {
    by: customer,
    reason: "ordered by mistake",
    refundDue: false,
    at: NOW.toISOString(),
  });
});

test("given a confirmed order, when an admin cancels, then order.cancelled by the admin; its reserved stock is to be released", () => {
  given(historyTo("confirmed"))
    .when((o) => o.cancel(admin, "out of stock at the warehouse", NOW))
    .then([
      {
        type: "order.cancelled",
        version: 3,
        data: {
          by: admin,
          reason: "out of stock at the warehouse",
          refundDue: false,
          previousStatus: "confirmed",
        },
      },
    ]);
});

test("given a paid order, when its customer cancels before shipping, then order.cancelled with a refund due", () => {
  given(historyTo("paid"))
    .when((o) => o.cancel(customer, "found it cheaper", NOW))
    .then([
      {
        type: "order.cancelled",
        version: 4,
        data: { by: customer, reason: "found it cheaper", refundDue: true, previousStatus: "paid" },
      },
    ]);
});

test("given a confirmed, unpaid order, when the payment deadline passes, then order.cancelled by the deadline", () => {
  given(historyTo("confirmed"))
    .when((o) => o.cancel(deadline, "not paid within 30 minutes", NOW))
    .then([
      {
        type: "order.cancelled",
        version: 3,
        data: {
          by: deadline,
          reason: "not paid within 30 minutes",
          refundDue: false,
          previousStatus: "confirmed",
        },
      },
    ]);
});

test("given a placed or paid order, when the payment deadline passes, then it is refused: only an unpaid confirmed order has one", () => {
  for (const status of ["placed", "paid"] as const) {
    const error = given(historyTo(status))
      .when((o) => o.cancel(deadline, "deadline", NOW))
      .thenRefused();
    assert.equal([error.status, error.action], [status, "cancel"]);
  }
});

test("given a cancellation by a user whose id is not a UUID, when cancelling, then it is refused as an invalid value", () => {
  scenarios
    .given(historyTo("placed"))
    .when((o) => o.cancel({ kind: "admin", userId: "root" }, "x", NOW))
    .thenFails(InvalidValue);
});

test("given a shipped order, when anyone cancels, then it is refused: it is on its way", () => {
  const error = given(historyTo("shipped"))
    .when((o) => o.cancel(admin, "too late", NOW))
    .thenRefused();
  assert.is(
    error.message,
    `order ${historyTo("shipped")[0]?.aggregateId} is shipped: it cannot be cancelled`,
  );
});

test("given a paid order, when shipped, then order.shipped; when delivered, then order.delivered", () => {
  const history = historyTo("paid");
  const shipped = given(history)
    .when((o) => o.ship(NOW))
    .then([{ type: "order.shipped", version: 4, data: {} }]);
  assert.is(shipped.snapshot().shippedAt, NOW.toISOString());
  const delivered = given([...history, ...shipped.pendingEvents])
    .when((o) => o.markDelivered(NOW))
    .then([{ type: "order.delivered", version: 5, data: {} }]);
  assert.is(delivered.status, "delivered");
});

/**
 * Every status against every command: what happens is one of an event, nothing (already there), or
 * IllegalOrderTransition. The table is the lifecycle; the specs above tell why for each row.
 */
type Outcome = OrderEvent["type"] | "nothing" | "refused";
const COMMANDS: Readonly<Record<string, (order: Order) => void>> = {
  confirm: (o) => o.confirm(NOW),
  reject: (o) => o.reject("no stock", NOW),
  "pay (a new payment)": (o) => o.markPaid("pay-2", NOW),
  "decline payment": (o) => o.declinePayment("declined", NOW),
  "cancel (customer)": (o) => o.cancel(customer, "x", NOW),
  "cancel (admin)": (o) => o.cancel(admin, "x", NOW),
  "cancel (deadline)": (o) => o.cancel(deadline, "x", NOW),
  ship: (o) => o.ship(NOW),
  deliver: (o) => o.markDelivered(NOW),
};
const C = "order.cancelled";
const X = "refused";
const N = "nothing";
const LIFECYCLE: Readonly<Record<OrderStatus, readonly Outcome[]>> = {
  // Columns in COMMANDS order: confirm, reject, pay, decline, cancel by customer / admin / deadline, ship, deliver.
  placed: ["order.confirmed", "order.rejected", X, X, C, C, X, X, X],
  confirmed: [N, X, "order.paid", "order.payment_declined", C, C, C, X, X],
  rejected: [X, N, X, X, X, X, X, X, X],
  paid: [X, X, X, X, C, C, X, "order.shipped", X],
  shipped: [X, X, X, X, X, X, X, N, "order.delivered"],
  delivered: [X, X, X, X, X, X, X, X, N],
  cancelled: [X, X, X, X, N, N, N, X, X],
};

test("every status against every command: an event, nothing, or IllegalOrderTransition, as the lifecycle says", () => {
  for (const [status, outcomes] of Object.entries(LIFECYCLE) as [OrderStatus, readonly Outcome[]][]) {
    Object.entries(COMMANDS).forEach(([name, command], index) => {
      const expected = outcomes[index];
      const history = historyTo(status);
      const order = Order.fromHistory(history);
      let actual: Outcome;
      try {
        command(order);
        actual = order.pendingEvents[0]?.type ?? "nothing";
      } catch (error) {
        assert.instance(error, IllegalOrderTransition, `${status} / ${name}`);
        assert.equal(order.pendingEvents, [], `${status} / ${name} recorded nothing`);
        actual = "refused";
      }
      assert.is(actual, expected, `${status} / ${name}`);
      assert.ok(order.pendingEvents.length <= 1, `${status} / ${name}: one event at most`);
      assertReplays(history, order);
    });
  }
});

test.run();
