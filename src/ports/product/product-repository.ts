import type { Product } from "../../domain/product/product.js";
import type { ProductId } from "../../domain/product/product-id.js";
import { token } from "../token.js";

/** Write side: loads and saves the Product aggregate; saving appends its pending events to the log. */
export interface ProductRepository {
  get(id: ProductId): Promise<Product | undefined>;
  /**
   * Like `get`, inside a unit of work, and holds the product against other writers until it ends: a
   * second caller waits, then loads what the first committed. For changes that many callers make to
   * one product at once (stock reservations), which would otherwise keep failing on each other's
   * version and run out of retries.
   */
  getForUpdate(id: ProductId): Promise<Product | undefined>;
  /** Id of the product holding this SKU, if any; SKUs are unique across products. */
  idOfSku(sku: string): Promise<string | undefined>;
  /** Throws ConcurrencyConflict when the stored version moved past `product.persistedVersion`. */
  save(product: Product): Promise<void>;
}
export const ProductRepository = token<ProductRepository>("ProductRepository");
