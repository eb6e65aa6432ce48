import type { OrderReadModel, OrderView } from "../../ports/order/order-read-model.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { customerOrManager, maySee } from "./order-permissions.js";

export class GetOrder extends Query<OrderView> {
  constructor(
    context: ExecutionContext,
    readonly id: string,
  ) {
    super(context);
  }
}

/** A customer's own order, or any for order:manage; anyone else's is not found (see maySee). */
export class GetOrderHandler implements Handler<GetOrder> {
  readonly requires = customerOrManager<GetOrder>();

  constructor(private readonly orders: OrderReadModel) {}

  async handle({ context, id }: GetOrder): Promise<OrderView> {
    const view = await this.orders.get(id.toLowerCase());
    if (view === undefined || !maySee(context, view.customerId)) throw new NotFound("order", id);
    return view;
  }
}
