import { ProductSkuTaken } from "../../../domain/product/product-errors.js";
import type { ProductState } from "../../../domain/product/product-state.js";
import { MAX_STOCK } from "../../../domain/product/quantity.js";
import { MAX_AMOUNT_MINOR } from "../../../domain/shared/money.js";
import type { TableDefinition } from "../../memory/memory-database.js";

/**
 * Product state rows, shared by the memory repository (write side) and read model (query side), with
 * the CHECK constraints of the SQL schema (migrations 2026-11-24T0100-products and
 * 2026-11-24T0600-stock-and-price-bounds), so no driver keeps a row the others would refuse.
 */
export const productsTable: TableDefinition<ProductState> = {
  name: "product",
  unique: { sku: (row) => row.sku },
  onUniqueViolation: (_key, value) => new ProductSkuTaken(value),
  checks: {
    products_price_minor_check: (row) => row.priceMinor >= 0,
    products_on_hand_check: (row) => row.onHand >= 0,
    products_reserved_check: (row) => row.reserved >= 0,
    products_reserved_within_on_hand: (row) => row.reserved <= row.onHand,
    products_on_hand_max: (row) => row.onHand <= MAX_STOCK,
    products_reserved_max: (row) => row.reserved <= MAX_STOCK,
    products_price_max: (row) => row.priceMinor <= MAX_AMOUNT_MINOR,
  },
};
