import { token } from "../token.js";

/** One change to a product's stock, as the stock history shows it. */
export interface StockMovement {
  readonly eventId: string;
  readonly productId: string;
  /** The product's version after the change: the order of movements. */
  readonly version: number;
  readonly kind: "initial" | "adjusted" | "reserved" | "released" | "committed";
  /**
   * Units: on hand for initial/adjusted (negative for a write-off), reserved for reserved/released;
   * a commit takes its units off both (the order left with them).
   */
  readonly quantity: number;
  /** The reason of an adjustment, or the order (and line) a reservation is for. */
  readonly note: string;
  readonly occurredAt: string;
}

/** The stock history projection: written by its subscriber, read by the stock-history query. */
export interface StockMovements {
  /** Inside the subscriber's unit of work; recording the same event twice keeps one movement. */
  record(movement: StockMovement): Promise<void>;
  history(productId: string): Promise<StockMovement[]>;
}
export const StockMovements = token<StockMovements>("StockMovements");
