import type { Selectable } from "kysely";
import type { ProductState } from "../../../domain/product/product-state.js";
import { byOrderLine, type StockReservation } from "../../../domain/product/reservation.js";
import { currency } from "../../../domain/shared/money.js";
import type { ProductView } from "../../../ports/product/product-read-model.js";
import type { ProductReservationsTable, ProductsTable } from "./product-tables.js";

type ProductRow = Selectable<ProductsTable>;

/**
 * The write side's state: the product row and its reservation rows, put in the domain's order here
 * rather than trusted to arrive in it (an aggregate over an ordered subquery promises none).
 */
export function productState(
  row: ProductRow,
  reservations: readonly Pick<Selectable<ProductReservationsTable>, "order_id" | "line" | "quantity">[],
): ProductState {
  return {
    ...productFields(row),
    reservations: reservations
      .map((r): StockReservation => ({ orderId: r.order_id, line: r.line, quantity: r.quantity }))
      .sort(byOrderLine),
  };
}

/** The query side needs the figures only, not which orders hold the reserved units. */
export function productView(row: ProductRow): ProductView {
  return { ...productFields(row), version: row.version };
}

function productFields(row: ProductRow) {
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
