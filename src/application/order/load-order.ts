import type { Order } from "../../domain/order/order.js";
import { orderId } from "../../domain/order/order-id.js";
import type { OrderRepository } from "../../ports/order/order-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { NotFound } from "../shared/not-found.js";
import { maySee } from "./order-permissions.js";

/** The order a command changes, as NotFound when it does not exist or is not the caller's to see. */
export async function loadOrder(
  orders: OrderRepository,
  id: string,
  context: ExecutionContext,
): Promise<Order> {
  const order = await orders.get(orderId(id));
  if (order === undefined || !maySee(context, order.customerId)) throw new NotFound("order", id);
  return order;
}
