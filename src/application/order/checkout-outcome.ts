import type { Clock } from "../../ports/clock.js";
import type { OrderRepository } from "../../ports/order/order-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { loadOrder } from "./load-order.js";
import { ORDER_MANAGE } from "./order-permissions.js";

/**
 * The checkout process reserved every line's stock. Sent by that process as the system principal
 * (which holds every permission). No route dispatches it, since confirming without reserving would
 * promise stock nobody set aside; order:manage is what it would take, not a permission of its own
 * that no role could be given usefully.
 */
export class ConfirmOrder extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: { readonly id: string },
  ) {
    super(context);
  }
}

export class ConfirmOrderHandler implements Handler<ConfirmOrder> {
  readonly requires = requiresPermission(ORDER_MANAGE);

  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ context, input }: ConfirmOrder): Promise<Written> {
    const order = await loadOrder(this.orders, input.id, context);
    order.confirm(this.clock.now());
    await this.orders.save(order);
    return { id: order.id, version: order.version };
  }
}

/** The checkout process could not reserve some line's stock; `reason` says which and why. */
export class RejectOrder extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: { readonly id: string; readonly reason: string },
  ) {
    super(context);
  }
}

export class RejectOrderHandler implements Handler<RejectOrder> {
  readonly requires = requiresPermission(ORDER_MANAGE);

  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ context, input }: RejectOrder): Promise<Written> {
    const order = await loadOrder(this.orders, input.id, context);
    order.reject(input.reason, this.clock.now());
    await this.orders.save(order);
    return { id: order.id, version: order.version };
  }
}
