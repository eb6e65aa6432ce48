import * as t from "io-ts";
import { formatDecimal, MAX_AMOUNT_MINOR, parseDecimal } from "../../../domain/shared/money.js";
import type { ProductView } from "../../../ports/product/product-read-model.js";
import { hundredthsFromString, isoDateTime, object } from "../../http/codecs.js";
import { MoneyInput } from "./money-input.js";
import { productRoutes } from "./product-routes.js";

/**
 * v2 speaks money as `{ amount: "19.99", currency: "EUR" }`: clients no longer need to know each
 * currency's minor-unit exponent (JPY has none), and a decimal string never loses precision in
 * JSON parsers. Stock figures are grouped under `stock`.
 */
const MoneyV2 = object({ amount: t.string, currency: t.string }, "Money");

export const ProductV2 = object(
  {
    id: t.string,
    name: t.string,
    sku: t.string,
    price: MoneyV2,
    stock: object({ on_hand: t.number, reserved: t.number, available: t.number }, "Stock"),
    version: t.number,
    created_at: isoDateTime,
    updated_at: isoDateTime,
  },
  "ProductV2",
);

export const v2ProductRoutes = productRoutes({
  priceProps: { price: MoneyInput },
  priceFields: { price: "body.price.amount", currency: "body.price.currency" },
  readPrice: (body) => {
    const price = parseDecimal(body.price.amount, body.price.currency);
    return { priceMinor: price.amountMinor, currency: price.currency };
  },
  // Filters are decimals too. The read side compares minor units without converting currencies, as
  // in v1, so a filter is read with two decimal places, the minor unit of every supported currency
  // but JPY and KRW (`min_price=19.99` is 1999 minor units: 19.99 EUR, or 1,999 yen).
  priceFilter: hundredthsFromString(MAX_AMOUNT_MINOR, "decimal price"),
  product: ProductV2,
  present: (p: ProductView): t.TypeOf<typeof ProductV2> => ({
    id: p.id,
    name: p.name,
    sku: p.sku,
    price: {
      amount: formatDecimal({ amountMinor: p.priceMinor, currency: p.currency }),
      currency: p.currency,
    },
    stock: { on_hand: p.onHand, reserved: p.reserved, available: p.onHand - p.reserved },
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  }),
});
