import type { Order } from "../../domain/order/order.js";
import type { OrderId } from "../../domain/order/order-id.js";
import { token } from "../token.js";

/** Write side: loads and saves the Order aggregate; saving appends its pending events to the log. */
export interface OrderRepository {
  get(id: OrderId): Promise<Order | undefined>;
  /** Throws ConcurrencyConflict when the stored version moved past `order.persistedVersion`. */
  save(order: Order): Promise<void>;
}
export const OrderRepository = token<OrderRepository>("OrderRepository");
