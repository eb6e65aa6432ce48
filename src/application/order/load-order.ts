import type { Order } from "../../domain/order/order.js";
import { orderId } from "../../domain/order/order-id.js";
import type { OrderRepository } from "../../ports/order/order-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type ExpectedVersions, ensureExpectedVersion } from "../shared/expected-version.js";
import { NotFound } from "../shared/not-found.js";
import { maySee } from "./order-permissions.js";

/**
 * The order a command changes: NotFound when it does not exist or is not the caller's to see, and
 * refused unless it is at a version the command expects (an If-Match), if any.
 */
export async function loadOrder(
  orders: OrderRepository,
  id: string,
  context: ExecutionContext,
  expected?: ExpectedVersions,
): Promise<Order> {
  const order = await orders.get(orderId(id));
  if (order === undefined || !maySee(context, order.customerId)) throw new NotFound("order", id);
  ensureExpectedVersion("order", order, expected);
  return order;
}
