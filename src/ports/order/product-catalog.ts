import type { Money } from "../../domain/shared/money.js";
import { token } from "../token.js";

/** A product as an order prices it: its current name and unit price. */
export interface CatalogProduct {
  readonly id: string;
  readonly name: string;
  readonly unitPrice: Money;
}

/**
 * The catalogue as the order context sees it at placement. The order context owns this port so it
 * depends on what it needs from products (a name and a price), not on the product context's code.
 */
export interface ProductCatalog {
  /** The products among `ids` that exist, by id; an unknown id is simply absent. */
  find(ids: readonly string[]): Promise<ReadonlyMap<string, CatalogProduct>>;
}
export const ProductCatalog = token<ProductCatalog>("order.ProductCatalog");
