import type { Currency } from "../shared/money.js";
import type { ProductEvent } from "./product-events.js";
import { type StockReservation, withReservation } from "./reservation.js";

export interface ProductState {
  readonly id: string;
  readonly name: string;
  readonly sku: string;
  readonly priceMinor: number;
  readonly currency: Currency;
  /** Units physically held; at most MAX_STOCK. */
  readonly onHand: number;
  /** Units promised to orders; always between 0 and onHand, and the sum of `reservations`. */
  readonly reserved: number;
  /** The open reservations, one per order line, in (orderId, line) order. */
  readonly reservations: readonly StockReservation[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function evolveProduct(state: ProductState | undefined, event: ProductEvent): ProductState {
  if (event.type === "product.created") {
    return {
      id: event.aggregateId,
      name: event.data.name,
      sku: event.data.sku,
      priceMinor: event.data.priceMinor,
      currency: event.data.currency,
      onHand: event.data.stock,
      reserved: 0,
      reservations: [],
      createdAt: event.occurredAt,
      updatedAt: event.occurredAt,
    };
  }
  if (state === undefined) throw new Error(`${event.type} before product.created`);
  const updatedAt = event.occurredAt;
  switch (event.type) {
    case "product.renamed":
      return { ...state, name: event.data.name, updatedAt };
    case "product.price_changed":
      return { ...state, priceMinor: event.data.priceMinor, currency: event.data.currency, updatedAt };
    case "product.stock_adjusted":
      return { ...state, onHand: state.onHand + event.data.delta, updatedAt };
    case "product.stock_reserved": {
      const { orderId, line, quantity } = event.data;
      return {
        ...state,
        reserved: state.reserved + quantity,
        reservations: withReservation(state.reservations, { orderId, line, quantity }),
        updatedAt,
      };
    }
    case "product.reservation_released":
      return {
        ...state,
        reserved: state.reserved - event.data.quantity,
        reservations: state.reservations.filter((r) => r.orderId !== event.data.orderId),
        updatedAt,
      };
    case "product.reservation_committed":
      return {
        ...state,
        onHand: state.onHand - event.data.quantity,
        reserved: state.reserved - event.data.quantity,
        reservations: state.reservations.filter((r) => r.orderId !== event.data.orderId),
        updatedAt,
      };
  }
}
