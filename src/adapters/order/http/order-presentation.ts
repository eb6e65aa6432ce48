import * as t from "io-ts";
import type { OrderView } from "../../../ports/order/order-read-model.js";
import { isoDateTime, object } from "../../http/codecs.js";

/** Absent facts are null in every version, as in the order's state. */
export const nullable = <A, O>(codec: t.Type<A, O, unknown>) => t.union([codec, t.null]);

export const Address = object(
  { name: t.string, lines: t.array(t.string), city: t.string, postal_code: t.string, country: t.string },
  "ShippingAddress",
);

export const Cancellation = object(
  {
    by: t.string,
    by_user_id: nullable(t.string),
    reason: t.string,
    refund_due: t.boolean,
    at: isoDateTime,
  },
  "Cancellation",
);

export function addressOf(o: OrderView): t.TypeOf<typeof Address> {
  const a = o.shippingAddress;
  return { name: a.name, lines: [...a.lines], city: a.city, postal_code: a.postalCode, country: a.country };
}

export function cancellationOf(o: OrderView): t.TypeOf<typeof Cancellation> | null {
  const c = o.cancellation;
  if (c === null) return null;
  return {
    by: c.by.kind,
    by_user_id: c.by.kind === "payment-deadline" ? null : c.by.userId,
    reason: c.reason,
    refund_due: c.refundDue,
    at: c.at,
  };
}
