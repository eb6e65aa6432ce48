import { token } from "../token.js";

/** An amount in minor units (cents) of one ISO 4217 currency. */
export interface PaymentAmount {
  readonly amountMinor: number;
  readonly currency: string;
}

export interface ChargeRequest {
  /**
   * Derived from the order (`order-<id>-charge`), never random: a charge retried after a timeout or a
   * crash carries the same key, and the gateway answers it with the first outcome instead of charging
   * twice.
   */
  readonly idempotencyKey: string;
  readonly orderId: string;
  readonly amount: PaymentAmount;
}

export interface RefundRequest {
  /** Derived from the order (`order-<id>-refund`), for the same reason as a charge's. */
  readonly idempotencyKey: string;
  readonly orderId: string;
  /** The charge's reference, as `charge` answered it. */
  readonly paymentReference: string;
  readonly amount: PaymentAmount;
}

/**
 * What the gateway decided. A decline is an answer, not a failure: the card was refused, the order
 * stays payable. A gateway that cannot be reached or does not answer in time throws
 * DependencyUnavailable instead, and the caller may retry with the same key.
 */
export type ChargeOutcome =
  | { readonly outcome: "approved"; readonly paymentReference: string }
  | { readonly outcome: "declined"; readonly reason: string };

export type RefundOutcome = { readonly outcome: "refunded"; readonly refundReference: string };

/** Takes and returns customers' money. Adapters: memory (tests, development) and an HTTP gateway. */
export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
}
export const PaymentGateway = token<PaymentGateway>("PaymentGateway");
