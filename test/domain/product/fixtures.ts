import type { ProductCreated, ProductEvent } from "../../../src/domain/product/product-events.js";

export const PRODUCT_ID = "0b6f7d8e-3c1a-4f5e-9a2b-1c2d3e4f5a6b";
export const T0 = "2026-01-01T00:00:00.000Z";
export const NOW = new Date("2026-01-02T00:00:00.000Z");

export function created(overrides: Partial<ProductCreated["data"]> = {}): ProductCreated {
  return {
    type: "product.created",
    aggregateId: PRODUCT_ID,
    version: 1,
    occurredAt: T0,
    data: { name: "Widget", sku: "WID-1", priceMinor: 1999, currency: "EUR", stock: 10, ...overrides },
  };
}

export function event<E extends ProductEvent>(type: E["type"], version: number, data: E["data"]): E {
  return { type, aggregateId: PRODUCT_ID, version, occurredAt: T0, data } as E;
}

export const ORDER_A = "5f0c9a52-7d0b-4f7e-8a8e-2b1f3c4d5e6f";
export const ORDER_B = "a1b2c3d4-0000-4000-8000-00000000000b";

/** product.stock_reserved for one order line, at `version`. */
export function reserved(version: number, orderId: string, line: number, quantity: number): ProductEvent {
  return event("product.stock_reserved", version, { orderId, line, quantity });
}
