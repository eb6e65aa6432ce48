import type { JobType, PayloadCodec } from "../../../ports/jobs.js";
import type { ExecutionContext } from "../../shared/execution-context.js";

/** What every checkout job carries: the order, and the correlation id of the request that placed it. */
export interface OrderJob {
  readonly orderId: string;
  readonly correlationId: string;
}

/** The checkout acts as keel itself, under the correlation id of the request that placed the order. */
export function asCheckout(correlationId: string): ExecutionContext {
  return { principal: { kind: "system", name: "order-checkout" }, correlationId };
}

/** Written by hand: the application layer has no io-ts, and two strings need no library. */
const orderJob: PayloadCodec<OrderJob> = {
  name: "OrderJob",
  encode: ({ orderId, correlationId }) => ({ orderId, correlationId }),
  decode: (stored) => {
    const { orderId, correlationId } = (stored ?? {}) as Record<string, unknown>;
    return typeof orderId === "string" && typeof correlationId === "string"
      ? { _tag: "Right", right: { orderId, correlationId } }
      : { _tag: "Left", left: "expected { orderId: string, correlationId: string }" };
  },
};

/**
 * Steps that talk to other contexts are retried for about an hour before they give up, quickly at
 * first: a customer is waiting on a checkout, and an outage of the catalogue's database is given back
 * without using attempts at all.
 */
const PERSISTENT = { maxAttempts: 10, backoffMs: 1_000, maxBackoffMs: 15 * 60_000 };

/** order.placed: reserve every line's stock, then confirm the order, or release and reject it. */
export const reserveOrderStock: JobType<OrderJob> = {
  name: "orders.reserve-stock",
  payload: orderJob,
  retry: PERSISTENT,
};

/** order.cancelled: give back the stock the order holds, and refund it when it was paid. */
export const releaseOrderStock: JobType<OrderJob> = {
  name: "orders.release-stock",
  payload: orderJob,
  retry: PERSISTENT,
};

/** order.shipped: the reservation becomes a stock decrease. */
export const commitOrderStock: JobType<OrderJob> = {
  name: "orders.commit-stock",
  payload: orderJob,
  retry: PERSISTENT,
};

/** Due ORDERS__PAYMENT_TIMEOUT_S after order.confirmed: cancels the order if it is still unpaid. */
export const paymentDeadline: JobType<OrderJob> = {
  name: "orders.payment-deadline",
  payload: orderJob,
  retry: PERSISTENT,
};

/** Mails are retried a few times over about half an hour: a mail server restarting, not a day's outage. */
const MAIL = { maxAttempts: 6, backoffMs: 30_000, maxBackoffMs: 10 * 60_000 };

/** order.confirmed: tell the customer. */
export const confirmationMail: JobType<OrderJob> = {
  name: "orders.confirmation-mail",
  payload: orderJob,
  retry: MAIL,
};

/** order.shipped: tell the customer it is on its way. */
export const shippingMail: JobType<OrderJob> = {
  name: "orders.shipping-mail",
  payload: orderJob,
  retry: MAIL,
};
