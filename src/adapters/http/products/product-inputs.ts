import * as t from "io-ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../../application/product/list-products.js";
import type { ProductCriteria, ProductSortField } from "../../../ports/product-read-model.js";
import { integer, integerFromString, oneOf, optional, strictObject, text, uuid } from "../codecs.js";

/** Inputs shared by every API version of the product routes. */

export const ProductParams = t.type({ id: uuid });

const MAX_PRICE_MINOR = 1_000_000_000_000;
const MAX_STOCK = 1_000_000_000;

export const productName = text(1, 200);
export const productSku = text(1, 64);
export const currencyCode = text(3, 3, "ISO 4217 code");
export const priceMinor = integer(0, MAX_PRICE_MINOR, "amount in minor units");
export const initialStock = integer(0, MAX_STOCK);

export const RenameBody = strictObject({ name: productName });

export const StockAdjustmentBody = strictObject({
  delta: integer(-MAX_STOCK, MAX_STOCK),
  reason: text(1, 200),
});

const SORT_FIELDS = {
  name: "name",
  sku: "sku",
  price: "price",
  created_at: "createdAt",
  updated_at: "updatedAt",
} as const satisfies Record<string, ProductSortField>;

export const ListQuery = t.type({
  page: optional(integerFromString(1, 1_000_000)),
  page_size: optional(integerFromString(1, MAX_PAGE_SIZE)),
  name: optional(text(1, 200)),
  min_price: optional(integerFromString(0, MAX_PRICE_MINOR)),
  max_price: optional(integerFromString(0, MAX_PRICE_MINOR)),
  sort: optional(oneOf(["name", "sku", "price", "created_at", "updated_at"])),
  order: optional(oneOf(["asc", "desc"])),
});

export function toCriteria(query: t.TypeOf<typeof ListQuery>): ProductCriteria {
  return {
    ...(query.name === undefined ? {} : { nameContains: query.name }),
    ...(query.min_price === undefined ? {} : { minPriceMinor: query.min_price }),
    ...(query.max_price === undefined ? {} : { maxPriceMinor: query.max_price }),
    sort: { field: SORT_FIELDS[query.sort ?? "created_at"], direction: query.order ?? "asc" },
    page: query.page ?? 1,
    pageSize: query.page_size ?? DEFAULT_PAGE_SIZE,
  };
}
