import * as t from "io-ts";
import type { OrderView } from "../../../ports/order/order-read-model.js";
import type { OrderSummary } from "../../../ports/order/order-summaries.js";
import { isoDateTime, object } from "../../http/codecs.js";
import { Address, addressOf, Cancellation, cancellationOf, nullable } from "./order-presentation.js";
import { orderRoutes } from "./order-routes.js";

/** v1: money is integers in minor units beside a currency field; lines are flat. */
export const OrderV1 = object(
  {
    id: t.string,
    customer_id: t.string,
    status: t.string,
    currency: t.string,
    total: t.number,
    lines: t.array(object({ product_id: t.string, quantity: t.number, unit_price: t.number }, "OrderLineV1")),
    shipping_address: Address,
    rejection_reason: nullable(t.string),
    payment_reference: nullable(t.string),
    last_decline_reason: nullable(t.string),
    cancellation: nullable(Cancellation),
    placed_at: isoDateTime,
    confirmed_at: nullable(isoDateTime),
    paid_at: nullable(isoDateTime),
    shipped_at: nullable(isoDateTime),
    delivered_at: nullable(isoDateTime),
    updated_at: isoDateTime,
    version: t.number,
  },
  "OrderV1",
);

const SummaryV1 = object(
  {
    customer_id: t.string,
    order_count: t.number,
    spent: t.array(object({ amount: t.number, currency: t.string }, "SpentV1")),
    last_order_id: nullable(t.string),
    last_order_at: nullable(isoDateTime),
  },
  "OrderSummaryV1",
);

export const v1OrderRoutes = orderRoutes({
  order: OrderV1,
  present: (o: OrderView): t.TypeOf<typeof OrderV1> => ({
    id: o.id,
    customer_id: o.customerId,
    status: o.status,
    currency: o.currency,
    total: o.totalMinor,
    lines: o.lines.map((l) => ({
      product_id: l.productId,
      quantity: l.quantity,
      unit_price: l.unitPriceMinor,
    })),
    shipping_address: addressOf(o),
    rejection_reason: o.rejectionReason,
    payment_reference: o.payment?.reference ?? null,
    last_decline_reason: o.lastDecline?.reason ?? null,
    cancellation: cancellationOf(o),
    placed_at: o.placedAt,
    confirmed_at: o.confirmedAt,
    paid_at: o.payment?.paidAt ?? null,
    shipped_at: o.shippedAt,
    delivered_at: o.deliveredAt,
    updated_at: o.updatedAt,
    version: o.version,
  }),
  summary: SummaryV1,
  presentSummary: (s: OrderSummary): t.TypeOf<typeof SummaryV1> => ({
    customer_id: s.customerId,
    order_count: s.orderCount,
    spent: s.spent.map((m) => ({ amount: m.amountMinor, currency: m.currency })),
    last_order_id: s.lastOrder?.id ?? null,
    last_order_at: s.lastOrder?.placedAt ?? null,
  }),
});
