import { token } from "../token.js";

/** Stock one order line asks for, set aside on its product until the order ships or is given up. */
export interface LineReservation {
  readonly orderId: string;
  /** The line's 0-based position in the order: with the order id, what makes a retry harmless. */
  readonly line: number;
  readonly productId: string;
  readonly quantity: number;
}

/** A line is reserved, or cannot be (too little stock, the product is gone), with a reason for the customer. */
export type ReservationOutcome =
  | { readonly reserved: true }
  | { readonly reserved: false; readonly reason: string };

/**
 * Stock as the checkout needs it, owned by the order context: it says what it needs, and an adapter
 * over the catalogue's own commands provides it. Every call is retry-safe: reserving a line again,
 * releasing or committing an order twice changes nothing. `correlationId` ties the catalogue's events
 * to the order's.
 */
export interface StockReservations {
  reserve(reservation: LineReservation, correlationId: string): Promise<ReservationOutcome>;
  /** Gives back whatever the order holds on each product. */
  release(orderId: string, productIds: readonly string[], correlationId: string): Promise<void>;
  /** Turns what the order holds on each product into a stock decrease: the goods left the warehouse. */
  commit(orderId: string, productIds: readonly string[], correlationId: string): Promise<void>;
}
export const StockReservations = token<StockReservations>("order.StockReservations");
