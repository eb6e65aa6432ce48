import type { DomainEvent } from "../shared/domain-event.js";
import type { Currency } from "../shared/money.js";

export type ProductCreated = DomainEvent<
  "product.created",
  { name: string; sku: string; priceMinor: number; currency: Currency; stock: number }
>;
export type ProductRenamed = DomainEvent<"product.renamed", { name: string }>;
export type ProductPriceChanged = DomainEvent<
  "product.price_changed",
  { priceMinor: number; currency: Currency }
>;
/** A manual correction of stock on hand (delivery, count, write-off); `delta` may be negative. */
export type ProductStockAdjusted = DomainEvent<"product.stock_adjusted", { delta: number; reason: string }>;
/** Stock set aside for an order; it stays on hand but is no longer available. */
export type ProductStockReserved = DomainEvent<
  "product.stock_reserved",
  { quantity: number; reference: string }
>;
export type ProductStockReleased = DomainEvent<
  "product.stock_released",
  { quantity: number; reference: string }
>;

export type ProductEvent =
  | ProductCreated
  | ProductRenamed
  | ProductPriceChanged
  | ProductStockAdjusted
  | ProductStockReserved
  | ProductStockReleased;
