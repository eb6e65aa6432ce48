import type { DomainEvent } from "../shared/domain-event.js";
import type { Currency } from "../shared/money.js";
import type { OrderLine } from "./order-lines.js";
import type { ShippingAddress } from "./shipping-address.js";

/**
 * Who cancelled an order: its customer or an admin (each by user id), or the payment deadline
 * passing on a confirmed order nobody paid.
 */
export type Canceller =
  | { readonly kind: "customer"; readonly userId: string }
  | { readonly kind: "admin"; readonly userId: string }
  | { readonly kind: "payment-deadline" };

/** Lines, prices and the total are captured here once: later catalogue changes never reach an order. */
export type OrderPlaced = DomainEvent<
  "order.placed",
  {
    customerId: string;
    currency: Currency;
    lines: OrderLine[];
    totalMinor: number;
    shippingAddress: ShippingAddress;
  }
>;
/** Every line's stock is reserved. */
export type OrderConfirmed = DomainEvent<"order.confirmed", Record<string, never>>;
/** Stock for some line could not be reserved; whatever was reserved for the order is released. */
export type OrderRejected = DomainEvent<"order.rejected", { reason: string }>;
export type OrderPaid = DomainEvent<"order.paid", { paymentReference: string }>;
/** A payment attempt failed; the order stays confirmed and may be paid again. */
export type OrderPaymentDeclined = DomainEvent<"order.payment_declined", { reason: string }>;
/**
 * `refundDue`: the order was paid, so the payment goes back. Reserved stock (a confirmed or paid
 * order's) is released by whoever reacts; `previousStatus` says which it was.
 */
export type OrderCancelled = DomainEvent<
  "order.cancelled",
  { by: Canceller; reason: string; refundDue: boolean; previousStatus: "placed" | "confirmed" | "paid" }
>;
export type OrderShipped = DomainEvent<"order.shipped", Record<string, never>>;
export type OrderDelivered = DomainEvent<"order.delivered", Record<string, never>>;

export type OrderEvent =
  | OrderPlaced
  | OrderConfirmed
  | OrderRejected
  | OrderPaid
  | OrderPaymentDeclined
  | OrderCancelled
  | OrderShipped
  | OrderDelivered;
