import * as t from "io-ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../../application/product/list-products.js";
import { MAX_STOCK } from "../../../domain/product/quantity.js";
import type { ProductCriteria, ProductSortField } from "../../../ports/product/product-read-model.js";
import {
  integer,
  integerFromString,
  oneOf,
  optional,
  strictObject,
  strictQuery,
  text,
  uuid,
} from "../../http/codecs.js";

/**
 * Inputs shared by every API version of the product routes. Numeric bounds are the domain's own
 * (MAX_STOCK here, MAX_AMOUNT_MINOR in each version's price codec), so HTTP refuses with a 400 exactly
 * what the domain would refuse, before any handler runs.
 */

export const ProductParams = t.type({ id: uuid });

export const productName = text(1, 200);
export const productSku = text(1, 64);
export const currencyCode = text(3, 3, "ISO 4217 code");
export const initialStock = integer(0, MAX_STOCK);

export const RenameBody = strictObject({ name: productName });

export const StockAdjustmentBody = strictObject({
  delta: integer(-MAX_STOCK, MAX_STOCK),
  reason: text(1, 200),
});

/**
 * Where each value a product write sends arrives in the request, by the name the domain refuses it
 * under; the price's fields differ per version and are added by each.
 */
export const PRODUCT_BODY_FIELDS = {
  name: "body.name",
  sku: "body.sku",
  initialStock: "body.stock",
  delta: "body.delta",
  reason: "body.reason",
} as const;

/** The listing's own refusals: its paging, and a minimum price above the maximum. */
export const LIST_QUERY_FIELDS = {
  page: "query.page",
  pageSize: "query.page_size",
  price: "query.min_price",
} as const;

const SORT_FIELDS = {
  name: "name",
  sku: "sku",
  price: "price",
  created_at: "createdAt",
  updated_at: "updatedAt",
} as const satisfies Record<string, ProductSortField>;

/** The listing's query; `min_price` and `max_price` are spelled as the version spells a price. */
export function listQuery(priceFilter: t.Type<number, string, unknown>) {
  return strictQuery({
    page: optional(integerFromString(1, 1_000_000)),
    page_size: optional(integerFromString(1, MAX_PAGE_SIZE)),
    name: optional(text(1, 200)),
    min_price: optional(priceFilter),
    max_price: optional(priceFilter),
    sort: optional(oneOf(["name", "sku", "price", "created_at", "updated_at"])),
    order: optional(oneOf(["asc", "desc"])),
  });
}

export type ListQuery = t.TypeOf<ReturnType<typeof listQuery>>;

export function toCriteria(query: ListQuery): ProductCriteria {
  return {
    ...(query.name === undefined ? {} : { nameContains: query.name }),
    ...(query.min_price === undefined ? {} : { minPriceMinor: query.min_price }),
    ...(query.max_price === undefined ? {} : { maxPriceMinor: query.max_price }),
    sort: { field: SORT_FIELDS[query.sort ?? "created_at"], direction: query.order ?? "asc" },
    page: query.page ?? 1,
    pageSize: query.page_size ?? DEFAULT_PAGE_SIZE,
  };
}
