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

/** Releasing more than was reserved would invent stock; it is refused rather than clamped. */
export class ReleaseExceedsReservation extends DomainError {
  readonly code = "RELEASE_EXCEEDS_RESERVATION";
  override readonly kind = "conflict";

  constructor(
    readonly productId: string,
    readonly requested: number,
    readonly reserved: number,
  ) {
    super(`product ${productId} has ${reserved} reserved, cannot release ${requested}`);
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
