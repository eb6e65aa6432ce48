import * as t from "io-ts";
import { formatDecimal, type Money } from "../../../domain/shared/money.js";
import type { OrderView } from "../../../ports/order/order-read-model.js";
import type { OrderSummary } from "../../../ports/order/order-summaries.js";
import { isoDateTime, object } from "../../http/codecs.js";
import { Address, addressOf, Cancellation, cancellationOf, nullable } from "./order-presentation.js";
import { orderRoutes } from "./order-routes.js";

/**
 * v2 speaks money as `{ amount: "19.99", currency: "EUR" }`, as v2 products do (no minor-unit
 * exponent to know, no precision lost in JSON), and nests each line's product with the name it had
 * when the order was placed, so an order reads as it was bought even after the catalogue renames it.
 * Payment, decline and fulfilment facts are grouped.
 */
const MoneyV2 = object({ amount: t.string, currency: t.string }, "Money");

export const OrderV2 = object(
  {
    id: t.string,
    customer_id: t.string,
    status: t.string,
    total: MoneyV2,
    lines: t.array(
      object(
        {
          product: object({ id: t.string, name: nullable(t.string) }, "OrderedProduct"),
          quantity: t.number,
          unit_price: MoneyV2,
          line_total: MoneyV2,
        },
        "OrderLineV2",
      ),
    ),
    shipping_address: Address,
    rejection_reason: nullable(t.string),
    payment: nullable(object({ reference: t.string, paid_at: isoDateTime }, "Payment")),
    last_decline: nullable(object({ reason: t.string, at: isoDateTime }, "Decline")),
    cancellation: nullable(Cancellation),
    placed_at: isoDateTime,
    confirmed_at: nullable(isoDateTime),
    shipped_at: nullable(isoDateTime),
    delivered_at: nullable(isoDateTime),
    updated_at: isoDateTime,
    version: t.number,
  },
  "OrderV2",
);

const SummaryV2 = object(
  {
    customer_id: t.string,
    order_count: t.number,
    spent: t.array(MoneyV2),
    last_order: nullable(object({ id: t.string, placed_at: isoDateTime }, "LastOrder")),
  },
  "OrderSummaryV2",
);

const money = (m: Money) => ({ amount: formatDecimal(m), currency: m.currency });

export const v2OrderRoutes = orderRoutes({
  order: OrderV2,
  present: (o: OrderView): t.TypeOf<typeof OrderV2> => ({
    id: o.id,
    customer_id: o.customerId,
    status: o.status,
    total: money({ amountMinor: o.totalMinor, currency: o.currency }),
    lines: o.lines.map((l) => ({
      product: { id: l.productId, name: l.productName ?? null },
      quantity: l.quantity,
      unit_price: money({ amountMinor: l.unitPriceMinor, currency: o.currency }),
      line_total: money({ amountMinor: l.unitPriceMinor * l.quantity, currency: o.currency }),
    })),
    shipping_address: addressOf(o),
    rejection_reason: o.rejectionReason,
    payment: o.payment === null ? null : { reference: o.payment.reference, paid_at: o.payment.paidAt },
    last_decline: o.lastDecline,
    cancellation: cancellationOf(o),
    placed_at: o.placedAt,
    confirmed_at: o.confirmedAt,
    shipped_at: o.shippedAt,
    delivered_at: o.deliveredAt,
    updated_at: o.updatedAt,
    version: o.version,
  }),
  summary: SummaryV2,
  presentSummary: (s: OrderSummary): t.TypeOf<typeof SummaryV2> => ({
    customer_id: s.customerId,
    order_count: s.orderCount,
    spent: s.spent.map((m) =>
      money({ amountMinor: m.amountMinor, currency: m.currency as Money["currency"] }),
    ),
    last_order: s.lastOrder === null ? null : { id: s.lastOrder.id, placed_at: s.lastOrder.placedAt },
  }),
});
