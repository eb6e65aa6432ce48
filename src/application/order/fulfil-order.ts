import type { Clock } from "../../ports/clock.js";
import type { OrderRepository } from "../../ports/order/order-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import type { ExpectedVersions } from "../shared/expected-version.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { loadOrder } from "./load-order.js";
import { ORDER_MANAGE } from "./order-permissions.js";

/** A paid order left the warehouse. */
export class ShipOrder extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly id: string;
      /** The versions this change is based on, when it is conditional; see ExpectedVersions. */
      readonly expectedVersions?: ExpectedVersions;
    },
  ) {
    super(context);
  }
}

export class ShipOrderHandler implements Handler<ShipOrder> {
  readonly requires = requiresPermission(ORDER_MANAGE);

  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ context, input }: ShipOrder): Promise<Written> {
    const order = await loadOrder(this.orders, input.id, context, input.expectedVersions);
    order.ship(this.clock.now());
    await this.orders.save(order);
    return { id: order.id, version: order.version };
  }
}

/** A shipped order reached its customer. */
export class MarkDelivered extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly id: string;
      /** The versions this change is based on, when it is conditional; see ExpectedVersions. */
      readonly expectedVersions?: ExpectedVersions;
    },
  ) {
    super(context);
  }
}

export class MarkDeliveredHandler implements Handler<MarkDelivered> {
  readonly requires = requiresPermission(ORDER_MANAGE);

  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ context, input }: MarkDelivered): Promise<Written> {
    const order = await loadOrder(this.orders, input.id, context, input.expectedVersions);
    order.markDelivered(this.clock.now());
    await this.orders.save(order);
    return { id: order.id, version: order.version };
  }
}
