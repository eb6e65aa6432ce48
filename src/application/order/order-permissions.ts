import { holds } from "../shared/authorization.js";
import { actingUserId, type ExecutionContext } from "../shared/execution-context.js";
import type { Message } from "../shared/message.js";
import { ownerOr, type Requirement } from "../shared/requirement.js";

/**
 * What the order context's handlers require; order-context.ts says who gets each by default.
 *
 * Customers need no permission of their own: a self-registered account has no role unless
 * AUTH__DEFAULT_ROLES gives it one (none by default), so a customer permission would refuse every
 * customer out of the box. A customer's own orders are theirs by ownership, as `/users/me` is.
 */
export const ORDER_MANAGE = "order:manage";

/**
 * A customer acting on their own orders: any signed-in user, for themselves; an API key only with
 * order:manage, because keys never act on ownership alone (see Requirement's `ownerOr`).
 */
export function customerOrManager<TMessage extends Message<unknown>>(): Requirement<TMessage> {
  return ownerOr(ORDER_MANAGE, (message) => actingUserId(message.context.principal) ?? "");
}

/** Whether the caller may see any order, not only their own. */
export function managesOrders(context: ExecutionContext): boolean {
  return holds(context.principal, ORDER_MANAGE);
}

/**
 * Whether the caller may see the order of `customerId`. Anyone else's order is reported as not found
 * rather than forbidden, so an order id tells a stranger nothing.
 */
export function maySee(context: ExecutionContext, customerId: string): boolean {
  return managesOrders(context) || actingUserId(context.principal) === customerId;
}
