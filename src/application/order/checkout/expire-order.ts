import { orderId } from "../../../domain/order/order-id.js";
import type { Clock } from "../../../ports/clock.js";
import type { OrderRepository } from "../../../ports/order/order-repository.js";
import type { ExecutionContext } from "../../shared/execution-context.js";
import { Command, type Handler } from "../../shared/message.js";
import { NotFound } from "../../shared/not-found.js";
import { requiresPermission } from "../../shared/requirement.js";
import { ORDER_MANAGE } from "../order-permissions.js";

/** What the payment deadline did: cancelled the order, or found it paid or gone already. */
export type Expiry = "cancelled" | "not-due";

/**
 * The payment deadline passed: an order still confirmed (reserved, never paid) is cancelled, and its
 * stock goes back through order.cancelled. Checked inside the unit of work, so an order paid a moment
 * before is left alone: a paid order must never be cancelled by a clock.
 */
/** Sent by the payment-deadline job as the system principal; no route sends it. */
export class ExpireOrder extends Command<Expiry> {
  constructor(
    context: ExecutionContext,
    readonly input: { readonly id: string; readonly timeoutS: number },
  ) {
    super(context);
  }
}

export class ExpireOrderHandler implements Handler<ExpireOrder> {
  readonly requires = requiresPermission(ORDER_MANAGE);

  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: ExpireOrder): Promise<Expiry> {
    const order = await this.orders.get(orderId(input.id));
    if (order === undefined) throw new NotFound("order", input.id);
    if (order.status !== "confirmed") return "not-due";
    const minutes = Math.round(input.timeoutS / 60);
    order.cancel(
      { kind: "payment-deadline" },
      `not paid within ${minutes >= 1 ? `${minutes} minutes` : `${input.timeoutS} seconds`}`,
      this.clock.now(),
    );
    await this.orders.save(order);
    return "cancelled";
  }
}
