import * as assert from "uvu/assert";
import { Order } from "../../../src/domain/order/order.js";
import type { OrderEvent, OrderPlaced } from "../../../src/domain/order/order-events.js";
import type { OrderStatus } from "../../../src/domain/order/order-status.js";
import type { ShippingAddress } from "../../../src/domain/order/shipping-address.js";
import { money } from "../../../src/domain/shared/money.js";

export const ORDER_ID = "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
export const CUSTOMER_ID = "5a1b2c3d-0000-4000-8000-00000000abcd";
export const ADMIN_ID = "9f8e7d6c-0000-4000-8000-0000000000ad";
export const CHAIR = "0b6f7d8e-3c1a-4f5e-9a2b-1c2d3e4f5a6b";
export const TABLE = "1c7a8e9f-4d2b-4a6f-8b3c-2d3e4f5a6b7c";
export const T0 = "2026-01-01T00:00:00.000Z";
export const NOW = new Date("2026-01-02T00:00:00.000Z");

export const ADDRESS: ShippingAddress = {
  name: "Ann Lee",
  lines: ["Hauptstraße 5", "2. OG"],
  city: "Berlin",
  postalCode: "10115",
  country: "DE",
};

/** Two chairs at 129.99 EUR and a table at 450.00 EUR. */
export const LINES = [
  { productId: CHAIR, quantity: 2, unitPrice: money(12999, "EUR") },
  { productId: TABLE, quantity: 1, unitPrice: money(45000, "EUR") },
];

export function placed(overrides: Partial<OrderPlaced["data"]> = {}): OrderPlaced {
  return {
    type: "order.placed",
    aggregateId: ORDER_ID,
    version: 1,
    occurredAt: T0,
    data: {
      customerId: CUSTOMER_ID,
      currency: "EUR",
      lines: [
        { productId: CHAIR, quantity: 2, unitPriceMinor: 12999 },
        { productId: TABLE, quantity: 1, unitPriceMinor: 45000 },
      ],
      totalMinor: 70998,
      shippingAddress: ADDRESS,
      ...overrides,
    },
  };
}

export function event<E extends OrderEvent>(type: E["type"], version: number, data: E["data"]): E {
  return { type, aggregateId: ORDER_ID, version, occurredAt: T0, data } as E;
}

/** The history that brings an order to `status` by its usual way. */
export function historyTo(status: OrderStatus): OrderEvent[] {
  const confirmed = [placed(), event("order.confirmed", 2, {})];
  const paid = [...confirmed, event("order.paid", 3, { paymentReference: "pay-1" })];
  const shipped = [...paid, event("order.shipped", 4, {})];
  switch (status) {
    case "placed":
      return [placed()];
    case "confirmed":
      return confirmed;
    case "rejected":
      return [placed(), event("order.rejected", 2, { reason: "chair: 0 available, 2 requested" })];
    case "paid":
      return paid;
    case "shipped":
      return shipped;
    case "delivered":
      return [...shipped, event("order.delivered", 5, {})];
    case "cancelled":
      return [
        ...confirmed,
        event("order.cancelled", 3, {
          by: { kind: "customer", userId: CUSTOMER_ID },
          reason: "changed my mind",
          refundDue: false,
          previousStatus: "confirmed",
        }),
      ];
  }
}

/**
 * The aggregate's state and version, rebuilt from its history plus what it just recorded, equal the
 * live ones: loading from the log after the command gives the same order.
 */
export function assertReplays(history: readonly OrderEvent[], live: Order): void {
  const rebuilt = Order.fromHistory([...history, ...live.pendingEvents]);
  assert.equal(rebuilt.snapshot(), live.snapshot());
  assert.is(rebuilt.version, live.version);
}
