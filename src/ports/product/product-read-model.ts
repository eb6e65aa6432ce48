import type { Currency } from "../../domain/shared/money.js";
import type { Page } from "../page.js";
import { token } from "../token.js";

export interface ProductView {
  readonly id: string;
  readonly name: string;
  readonly sku: string;
  readonly priceMinor: number;
  readonly currency: Currency;
  readonly onHand: number;
  readonly reserved: number;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const PRODUCT_SORT_FIELDS = ["name", "sku", "price", "createdAt", "updatedAt"] as const;
export type ProductSortField = (typeof PRODUCT_SORT_FIELDS)[number];

export interface ProductCriteria {
  /** Case-insensitive substring of the name. */
  readonly nameContains?: string;
  /** Inclusive bounds in minor units; the currency is not converted. */
  readonly minPriceMinor?: number;
  readonly maxPriceMinor?: number;
  readonly sort: { readonly field: ProductSortField; readonly direction: "asc" | "desc" };
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export type { Page } from "../page.js";

/** Query side for products. Ties in the sort are broken by id, so pages are stable. */
export interface ProductReadModel {
  get(id: string): Promise<ProductView | undefined>;
  list(criteria: ProductCriteria): Promise<Page<ProductView>>;
}
export const ProductReadModel = token<ProductReadModel>("ProductReadModel");
