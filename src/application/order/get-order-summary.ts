import type { OrderSummaries, OrderSummary } from "../../ports/order/order-summaries.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { ownerOr } from "../shared/requirement.js";
import { ORDER_MANAGE } from "./order-permissions.js";

/**
 * One customer's order summary: their own, or anyone's for order:manage. Eventually consistent
 * (built from events); a customer with no order yet has an empty one.
 */
export class GetOrderSummary extends Query<OrderSummary> {
  constructor(
    context: ExecutionContext,
    readonly customerId: string,
  ) {
    super(context);
  }
}

export class GetOrderSummaryHandler implements Handler<GetOrderSummary> {
  readonly requires = ownerOr<GetOrderSummary>(ORDER_MANAGE, (query) => query.customerId);

  constructor(private readonly summaries: OrderSummaries) {}

  async handle({ customerId }: GetOrderSummary): Promise<OrderSummary> {
    return (
      (await this.summaries.get(customerId)) ?? { customerId, orderCount: 0, spent: [], lastOrder: null }
    );
  }
}
