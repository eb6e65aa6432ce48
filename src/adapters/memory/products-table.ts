import { ProductSkuTaken } from "../../domain/product/product-errors.js";
import type { ProductState } from "../../domain/product/product-state.js";
import type { TableDefinition } from "./memory-database.js";

/** Product state rows, shared by the memory repository (write side) and read model (query side). */
export const productsTable: TableDefinition<ProductState> = {
  name: "product",
  unique: { sku: (row) => row.sku },
  onUniqueViolation: (_key, value) => new ProductSkuTaken(value),
};
