import type { Canceller } from "../../domain/order/order-events.js";
import type { Clock } from "../../ports/clock.js";
import type { OrderRepository } from "../../ports/order/order-repository.js";
import { actingUserId, type ExecutionContext } from "../shared/execution-context.js";
import type { ExpectedVersions } from "../shared/expected-version.js";
import { Command, type Handler } from "../shared/message.js";
import type { Written } from "../shared/written.js";
import { loadOrder } from "./load-order.js";
import { customerOrManager } from "./order-permissions.js";

export class CancelOrder extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly id: string;
      readonly reason?: string;
      /** The versions this change is based on, when it is conditional; see ExpectedVersions. */
      readonly expectedVersions?: ExpectedVersions;
    },
  ) {
    super(context);
  }
}

/**
 * The customer cancels their own order, an order:manage holder anyone's; the order itself allows it
 * only before shipping. An admin cancelling their own order does so as its customer.
 */
export class CancelOrderHandler implements Handler<CancelOrder> {
  readonly requires = customerOrManager<CancelOrder>();

  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ context, input }: CancelOrder): Promise<Written> {
    const order = await loadOrder(this.orders, input.id, context, input.expectedVersions);
    const userId = actingUserId(context.principal) ?? "";
    const by: Canceller =
      userId === order.customerId ? { kind: "customer", userId } : { kind: "admin", userId };
    const reason =
      input.reason ?? (by.kind === "customer" ? "cancelled by the customer" : "cancelled by an admin");
    order.cancel(by, reason, this.clock.now());
    await this.orders.save(order);
    return { id: order.id, version: order.version };
  }
}
