import type { Selectable } from "kysely";
import type { ProductState } from "../../../domain/product/product-state.js";
import { currency } from "../../../domain/shared/money.js";
import type { ProductView } from "../../../ports/product/product-read-model.js";
import type { ProductsTable } from "./product-tables.js";

type ProductRow = Selectable<ProductsTable>;

export function productState(row: ProductRow): ProductState {
  return {
    id: row.id,
    name: row.name,
    sku: row.sku,
    priceMinor: Number(row.price_minor),
    currency: currency(row.currency),
    onHand: row.on_hand,
    reserved: row.reserved,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function productView(row: ProductRow): ProductView {
  return { ...productState(row), version: row.version };
}
