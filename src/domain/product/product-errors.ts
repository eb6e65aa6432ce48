import { DomainError } from "../shared/domain-error.js";

export class ProductSkuTaken extends DomainError {
  readonly code = "PRODUCT_SKU_TAKEN";
  override readonly kind = "conflict";

  constructor(readonly sku: string) {
    super(`a product with SKU ${sku} already exists`);
  }
}

export class InsufficientStock extends DomainError {
  readonly code = "INSUFFICIENT_STOCK";
  override readonly kind = "conflict";

  constructor(
    readonly productId: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(`product ${productId} has ${available} available, ${requested} requested`);
  }
}

/**
 * The order line already holds a reservation of another quantity. An order's lines do not change once
 * placed, so this is a caller's mistake, not a retry: it is refused rather than resized.
 */
export class OrderLineAlreadyReserved extends DomainError {
  readonly code = "ORDER_LINE_ALREADY_RESERVED";
  override readonly kind = "conflict";

  constructor(
    readonly productId: string,
    readonly orderId: string,
    readonly line: number,
    readonly reserved: number,
    readonly requested: number,
  ) {
    super(
      `product ${productId} holds ${reserved} for line ${line} of order ${orderId}; it cannot be reserved again as ${requested}`,
    );
  }
}

/** Stock on hand would go beyond what keel keeps for one product (MAX_STOCK); refused, never capped. */
export class StockLimitExceeded extends DomainError {
  readonly code = "STOCK_LIMIT_EXCEEDED";

  constructor(
    readonly productId: string,
    readonly delta: number,
    readonly onHand: number,
    readonly limit: number,
  ) {
    super(`product ${productId} has ${onHand} on hand; adding ${delta} would exceed the limit of ${limit}`);
  }
}
