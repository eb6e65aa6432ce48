/**
 * The gateway refused the request itself, not the payment: a key reused for a different request, a
 * refund of a charge it does not know, a rejected API key, a body it cannot read. Retrying the same
 * request gets the same answer, so this is a bug or a wrong setting to fix, never an outage
 * (DependencyUnavailable) and never a decline (an answer about the customer's card). Both adapters of
 * the port throw it with the same codes, so a test written against one holds for the other.
 */
export class PaymentRequestRefused extends Error {
  constructor(
    /**
     * Why, as a stable code: "idempotency_key_reused", "unknown_payment", "refund_exceeds_charge", "invalid_amount",
     * or the gateway's own code for any other refusal ("http_<status>" when it gave none).
     */
    readonly code: string,
    message: string,
    /** The HTTP status the gateway answered with; absent from the memory gateway. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "PaymentRequestRefused";
  }
}

/** The codes both adapters agree on; a gateway may add its own. */
export const REFUSAL = {
  keyReused: "idempotency_key_reused",
  unknownPayment: "unknown_payment",
  refundExceedsCharge: "refund_exceeds_charge",
  invalidAmount: "invalid_amount",
} as const;
