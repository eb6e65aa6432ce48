import { InvalidValue } from "../shared/domain-error.js";
import { entityId } from "../shared/entity-id.js";

/**
 * The highest line position a reservation may name. Orders hold far fewer lines; the bound only keeps
 * the figure storable and a typo (a quantity passed as a line) visible.
 */
export const MAX_ORDER_LINE = 9_999;

/** Which order line stock is set aside for: the order's id and the line's 0-based position in it. */
export interface OrderLineRef {
  readonly orderId: string;
  readonly line: number;
}

/** Units of a product held for one order line, from its reservation until released or committed. */
export interface StockReservation extends OrderLineRef {
  readonly quantity: number;
}

/** An order's id as reservations keep it (a UUID, lower case); the order context is not imported. */
export function reservingOrderId(value: string): string {
  return entityId<"OrderId">("orderId", value);
}

export function orderLineRef(ref: OrderLineRef): OrderLineRef {
  const line = ref.line;
  if (!Number.isSafeInteger(line) || line < 0 || line > MAX_ORDER_LINE) {
    throw new InvalidValue("line", `line must be a whole number from 0 to ${MAX_ORDER_LINE}`);
  }
  return { orderId: reservingOrderId(ref.orderId), line };
}

/**
 * The canonical order of reservations, by order id and then line: the state a store loads must equal
 * the state replaying the log builds, whatever order the lines were reserved or stored in.
 */
export function byOrderLine(a: OrderLineRef, b: OrderLineRef): number {
  if (a.orderId !== b.orderId) return a.orderId < b.orderId ? -1 : 1;
  return a.line - b.line;
}

/** The reservations with one added, in canonical order (byOrderLine). */
export function withReservation(
  reservations: readonly StockReservation[],
  added: StockReservation,
): StockReservation[] {
  return [...reservations, added].sort(byOrderLine);
}
