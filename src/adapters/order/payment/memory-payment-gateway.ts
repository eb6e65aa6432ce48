import type {
  ChargeOutcome,
  ChargeRequest,
  PaymentGateway,
  RefundOutcome,
  RefundRequest,
} from "../../../ports/order/payment-gateway.js";
import { PaymentRequestRefused, REFUSAL } from "./payment-request-refused.js";
import { checkAmount, keyReused, sameRequest } from "./payment-rules.js";

/** Names why a charge is declined, or answers undefined to let it through. */
export type DeclineRule = (request: ChargeRequest) => string | undefined;

/** Declines every charge above `limitMinor`, as a card limit would. */
export function declineAmountsOver(limitMinor: number, reason = "amount over the card's limit"): DeclineRule {
  return (request) => (request.amount.amountMinor > limitMinor ? reason : undefined);
}

/** Declines the charges of exactly these orders, so a test can pick which order's payment fails. */
export function declineOrders(orderIds: Iterable<string>, reason = "card declined"): DeclineRule {
  const declined = new Set(orderIds);
  return (request) => (declined.has(request.orderId) ? reason : undefined);
}

export interface MemoryPaymentGatewayOptions {
  /** Checked in order; the first reason given declines the charge. Without rules every charge is approved. */
  readonly declineWhen?: readonly DeclineRule[];
}

export interface RecordedCharge {
  readonly request: ChargeRequest;
  readonly outcome: ChargeOutcome;
}

export interface RecordedRefund {
  readonly request: RefundRequest;
  readonly outcome: RefundOutcome;
}

interface TakenPayment {
  readonly request: ChargeRequest;
  refundedMinor: number;
}

/**
 * The payment gateway for tests and development without services. It behaves as the contract says
 * a real one does — idempotent by key, declines as answers, refunds only of what it took — so code
 * that passes against it does not rely on anything the HTTP gateway would not do. References count up
 * from 1, so a run is the same every time. Nothing here waits: every answer is immediate.
 */
export class MemoryPaymentGateway implements PaymentGateway {
  readonly #rules: DeclineRule[];
  /** One entry per key, in the order first seen: the first outcome is what a repeated key gets. */
  readonly #charges = new Map<string, RecordedCharge>();
  readonly #refunds = new Map<string, RecordedRefund>();
  readonly #taken = new Map<string, TakenPayment>();
  #references = 0;

  constructor(options: MemoryPaymentGatewayOptions = {}) {
    this.#rules = [...(options.declineWhen ?? [])];
  }

  /** Adds a rule from now on; charges already answered keep their outcome, as their keys promise. */
  declineWhen(rule: DeclineRule): void {
    this.#rules.push(rule);
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const first = this.#charges.get(request.idempotencyKey);
    if (first !== undefined) {
      if (!sameRequest(first.request, request)) throw keyReused(request.idempotencyKey);
      return first.outcome;
    }
    checkAmount(request.amount);
    const recorded = snapshot(request);
    const reason = this.#declineReason(recorded);
    const outcome: ChargeOutcome =
      reason === undefined
        ? { outcome: "approved", paymentReference: this.#reference("charge") }
        : { outcome: "declined", reason };
    if (outcome.outcome === "approved")
      this.#taken.set(outcome.paymentReference, { request: recorded, refundedMinor: 0 });
    this.#charges.set(request.idempotencyKey, Object.freeze({ request: recorded, outcome }));
    return outcome;
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const first = this.#refunds.get(request.idempotencyKey);
    if (first !== undefined) {
      if (!sameRequest(first.request, request)) throw keyReused(request.idempotencyKey);
      return first.outcome;
    }
    checkAmount(request.amount);
    const payment = this.#taken.get(request.paymentReference);
    if (payment === undefined)
      throw new PaymentRequestRefused(
        REFUSAL.unknownPayment,
        `no approved charge has the reference ${JSON.stringify(request.paymentReference)}`,
      );
    const charged = payment.request.amount;
    const left = charged.amountMinor - payment.refundedMinor;
    if (request.amount.currency !== charged.currency || request.amount.amountMinor > left)
      throw new PaymentRequestRefused(
        REFUSAL.refundExceedsCharge,
        `a refund of ${request.amount.amountMinor} ${request.amount.currency} exceeds the ${left} ${charged.currency} left of charge ${request.paymentReference}`,
      );
    payment.refundedMinor += request.amount.amountMinor;
    const outcome: RefundOutcome = { outcome: "refunded", refundReference: this.#reference("refund") };
    this.#refunds.set(request.idempotencyKey, Object.freeze({ request: snapshot(request), outcome }));
    return outcome;
  }

  /** Every charge answered, approved or declined, once per key, in the order they came. */
  charges(): readonly RecordedCharge[] {
    return [...this.#charges.values()];
  }

  /** Every refund made, once per key, in the order they came. */
  refunds(): readonly RecordedRefund[] {
    return [...this.#refunds.values()];
  }

  /** How many times money was taken under `idempotencyKey`: 0 or 1, however often it was sent. */
  chargesTaken(idempotencyKey: string): number {
    return this.#charges.get(idempotencyKey)?.outcome.outcome === "approved" ? 1 : 0;
  }

  #declineReason(request: ChargeRequest): string | undefined {
    for (const rule of this.#rules) {
      const reason = rule(request);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  #reference(kind: "charge" | "refund"): string {
    this.#references += 1;
    return `memory-${kind}-${this.#references}`;
  }
}

/** A copy the caller cannot change afterwards, so a recorded request is the one that was answered. */
function snapshot<T extends object>(request: T): T {
  return deepFreeze(structuredClone(request));
}

function deepFreeze<T extends object>(value: T): T {
  for (const field of Object.values(value))
    if (field !== null && typeof field === "object") deepFreeze(field as object);
  return Object.freeze(value);
}
