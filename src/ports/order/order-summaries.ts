import { token } from "../token.js";

/** What one customer has ordered, as the order summary shows it. */
export interface OrderSummary {
  readonly customerId: string;
  readonly orderCount: number;
  /** Paid minus refunded, per currency (never converted), in minor units; currencies in code order. */
  readonly spent: readonly { readonly currency: string; readonly amountMinor: number }[];
  readonly lastOrder: { readonly id: string; readonly placedAt: string } | null;
}

/**
 * The per-customer order summary: written by its projection inside the subscriber's unit of work,
 * read by the summary query. Each write is one atomic change, so two workers applying events of one
 * customer at once lose neither; the subscriber's inbox makes a redelivered event change nothing.
 */
export interface OrderSummaries {
  /** Counts one more order; the last order is the latest placed (ties: the greater id). */
  recordPlaced(customerId: string, orderId: string, placedAt: string): Promise<void>;
  /** Adds to (or, negative, takes from) what the customer spent in `currency`. */
  addSpent(customerId: string, currency: string, amountMinor: number): Promise<void>;
  get(customerId: string): Promise<OrderSummary | undefined>;
}
export const OrderSummaries = token<OrderSummaries>("OrderSummaries");
