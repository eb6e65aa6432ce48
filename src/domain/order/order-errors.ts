import { DomainError } from "../shared/domain-error.js";
import type { OrderStatus } from "./order-status.js";

/** What was asked of an order; names the refused transition in errors. */
export type OrderAction = "confirm" | "reject" | "pay" | "decline payment" | "cancel" | "ship" | "deliver";

/**
 * The order's status does not allow what was asked (shipping an unpaid order, cancelling a shipped
 * one, paying twice with two payments). A conflict: the request is sound, the order is not where it
 * would have to be.
 */
export class IllegalOrderTransition extends DomainError {
  readonly code = "ILLEGAL_ORDER_TRANSITION";
  override readonly kind = "conflict";

  constructor(
    readonly orderId: string,
    readonly status: OrderStatus,
    readonly action: OrderAction,
    detail?: string,
  ) {
    super(
      `order ${orderId} is ${status}: it cannot ${PHRASES[action]}${detail === undefined ? "" : `; ${detail}`}`,
    );
  }
}

const PHRASES: Readonly<Record<OrderAction, string>> = {
  confirm: "be confirmed",
  reject: "be rejected",
  pay: "be paid",
  "decline payment": "have a payment declined",
  cancel: "be cancelled",
  ship: "be shipped",
  deliver: "be delivered",
};

/** An order is paid in one currency, the first line's; a line priced in another is refused. */
export class MixedCurrencies extends DomainError {
  readonly code = "ORDER_CURRENCY_MISMATCH";

  constructor(
    readonly lineIndex: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`lines[${lineIndex}] is priced in ${found}; every line of an order is in ${expected}`);
  }
}

/** The same product asked for at two unit prices: the lines cannot be merged into one. */
export class ProductPricedTwice extends DomainError {
  readonly code = "ORDER_PRODUCT_PRICED_TWICE";

  constructor(
    readonly productId: string,
    readonly firstPriceMinor: number,
    readonly secondPriceMinor: number,
  ) {
    super(
      `product ${productId} appears at ${firstPriceMinor} and at ${secondPriceMinor} minor units; one product has one unit price`,
    );
  }
}
