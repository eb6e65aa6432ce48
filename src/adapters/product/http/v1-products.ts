import * as t from "io-ts";
import { MAX_AMOUNT_MINOR } from "../../../domain/shared/money.js";
import type { ProductView } from "../../../ports/product/product-read-model.js";
import { integer, integerFromString, isoDateTime, object } from "../../http/codecs.js";
import { currencyCode } from "./product-inputs.js";
import { productRoutes } from "./product-routes.js";

/** v1: prices are integers in minor units with a separate currency; stock fields are flat. */
export const ProductV1 = object(
  {
    id: t.string,
    name: t.string,
    sku: t.string,
    price: t.number,
    currency: t.string,
    stock: t.number,
    reserved: t.number,
    available: t.number,
    version: t.number,
    created_at: isoDateTime,
    updated_at: isoDateTime,
  },
  "ProductV1",
);

export const v1ProductRoutes = productRoutes({
  priceProps: { price: integer(0, MAX_AMOUNT_MINOR, "amount in minor units"), currency: currencyCode },
  priceFields: { price: "body.price", currency: "body.currency" },
  readPrice: (body) => ({ priceMinor: body.price, currency: body.currency }),
  priceFilter: integerFromString(0, MAX_AMOUNT_MINOR, "amount in minor units"),
  product: ProductV1,
  present: (p: ProductView): t.TypeOf<typeof ProductV1> => ({
    id: p.id,
    name: p.name,
    sku: p.sku,
    price: p.priceMinor,
    currency: p.currency,
    stock: p.onHand,
    reserved: p.reserved,
    available: p.onHand - p.reserved,
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  }),
});
