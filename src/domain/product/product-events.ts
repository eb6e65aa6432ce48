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
/** Stock set aside for one order line; it stays on hand but is no longer available. */
export type ProductStockReserved = DomainEvent<
  "product.stock_reserved",
  { orderId: string; line: number; quantity: number }
>;
/** Every line of the order reserved on this product is given back; `quantity` is their sum. */
export type ProductReservationReleased = DomainEvent<
  "product.reservation_released",
  { orderId: string; quantity: number }
>;
/**
 * The order's reservation on this product leaves with the order: `quantity` units come off both stock
 * on hand and reserved, so available stock does not change.
 */
export type ProductReservationCommitted = DomainEvent<
  "product.reservation_committed",
  { orderId: string; quantity: number }
>;

export type ProductEvent =
  | ProductCreated
  | ProductRenamed
  | ProductPriceChanged
  | ProductStockAdjusted
  | ProductStockReserved
  | ProductReservationReleased
  | ProductReservationCommitted;
