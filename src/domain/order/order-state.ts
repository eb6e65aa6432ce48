import type { Currency } from "../shared/money.js";
import type { Canceller, OrderEvent } from "./order-events.js";
import type { OrderLine } from "./order-lines.js";
import type { OrderStatus } from "./order-status.js";
import type { ShippingAddress } from "./shipping-address.js";

/** Absent facts are null, never undefined: a snapshot stored as JSON reads back equal. */
export interface OrderState {
  readonly id: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly currency: Currency;
  readonly lines: readonly OrderLine[];
  readonly totalMinor: number;
  readonly shippingAddress: ShippingAddress;
  readonly rejectionReason: string | null;
  readonly payment: { readonly reference: string; readonly paidAt: string } | null;
  /** The most recent declined payment, kept while the order waits for another. */
  readonly lastDecline: { readonly reason: string; readonly at: string } | null;
  /** Payments declined so far: each new attempt is a new charge, told apart by this count. */
  readonly declines: number;
  readonly cancellation: {
    readonly by: Canceller;
    readonly reason: string;
    readonly refundDue: boolean;
    readonly at: string;
  } | null;
  readonly placedAt: string;
  readonly confirmedAt: string | null;
  readonly shippedAt: string | null;
  readonly deliveredAt: string | null;
  readonly updatedAt: string;
}

export function evolveOrder(state: OrderState | undefined, event: OrderEvent): OrderState {
  if (event.type === "order.placed") {
    return {
      id: event.aggregateId,
      customerId: event.data.customerId,
      status: "placed",
      currency: event.data.currency,
      lines: event.data.lines,
      totalMinor: event.data.totalMinor,
      shippingAddress: event.data.shippingAddress,
      rejectionReason: null,
      payment: null,
      lastDecline: null,
      declines: 0,
      cancellation: null,
      placedAt: event.occurredAt,
      confirmedAt: null,
      shippedAt: null,
      deliveredAt: null,
      updatedAt: event.occurredAt,
    };
  }
  if (state === undefined) throw new Error(`${event.type} before order.placed`);
  const at = event.occurredAt;
  switch (event.type) {
    case "order.confirmed":
      return { ...state, status: "confirmed", confirmedAt: at, updatedAt: at };
    case "order.rejected":
      return { ...state, status: "rejected", rejectionReason: event.data.reason, updatedAt: at };
    case "order.paid":
      return {
        ...state,
        status: "paid",
        payment: { reference: event.data.paymentReference, paidAt: at },
        updatedAt: at,
      };
    case "order.payment_declined":
      return {
        ...state,
        lastDecline: { reason: event.data.reason, at },
        declines: state.declines + 1,
        updatedAt: at,
      };
    case "order.cancelled": {
      const { by, reason, refundDue } = event.data;
      return { ...state, status: "cancelled", cancellation: { by, reason, refundDue, at }, updatedAt: at };
    }
    case "order.shipped":
      return { ...state, status: "shipped", shippedAt: at, updatedAt: at };
    case "order.delivered":
      return { ...state, status: "delivered", deliveredAt: at, updatedAt: at };
  }
}
