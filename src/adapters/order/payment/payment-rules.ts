import type { PaymentAmount } from "../../../ports/order/payment-gateway.js";
import { PaymentRequestRefused, REFUSAL } from "./payment-request-refused.js";

/**
 * Checks both the memory gateway and the test's fake gateway server apply, so the two answer the
 * contract suite alike. A real gateway checks the same things; the HTTP adapter relies on it to.
 */

/** An amount a gateway would take: whole minor units above zero, in an ISO 4217 code. */
export function checkAmount(amount: PaymentAmount): void {
  if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0)
    throw new PaymentRequestRefused(
      REFUSAL.invalidAmount,
      `amountMinor must be a whole number of minor units above 0, not ${amount.amountMinor}`,
    );
  if (!/^[A-Z]{3}$/.test(amount.currency))
    throw new PaymentRequestRefused(
      REFUSAL.invalidAmount,
      `currency must be an ISO 4217 code such as "EUR", not ${JSON.stringify(amount.currency)}`,
    );
}

/**
 * The fields that make two requests under one key the same request. The key is derived from the
 * order, so a second request that differs is a caller bug (say, an order charged twice with two
 * totals), and answering it with the first outcome would hide that the second amount was never taken.
 */
export function sameRequest(first: object, second: object): boolean {
  return canonical(first) === canonical(second);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`).join(",")}}`;
}

export function keyReused(idempotencyKey: string): PaymentRequestRefused {
  return new PaymentRequestRefused(
    REFUSAL.keyReused,
    `idempotency key ${JSON.stringify(idempotencyKey)} was already used for a different request`,
  );
}
