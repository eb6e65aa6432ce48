import type { OrderEvent, OrderPlaced } from "../../domain/order/order-events.js";
import { formatDecimal } from "../../domain/shared/money.js";
import type { EventLog, RecordedEvent } from "../../ports/event-log.js";
import type { JobType } from "../../ports/jobs.js";
import type { Mailer } from "../../ports/mailer.js";
import type { UserReadModel } from "../../ports/user/user-read-model.js";
import type { JobHandler } from "../jobs/job-handler.js";
import { confirmationMail, type OrderJob, shippingMail } from "./checkout/checkout-jobs.js";

/**
 * Tells the customer their order is confirmed (`order.confirmed`) and that it shipped
 * (`order.shipped`). Each is an e-mail job the checkout enqueues once per order, in the transaction
 * that marks the event processed; sending outside any transaction keeps a slow mail server from
 * holding one open (and the reads it needs from waiting on it). Like every mail it is at least once:
 * a worker that dies between sending and recording the job done sends it again. The address is the
 * customer's current one; a customer whose account is gone gets no mail.
 */
abstract class OrderMail implements JobHandler<OrderJob> {
  abstract readonly job: JobType<OrderJob>;

  constructor(
    private readonly log: EventLog,
    private readonly users: UserReadModel,
    private readonly mailer: Mailer,
  ) {}

  async handle({ orderId }: OrderJob): Promise<void> {
    const history = (await this.log.history("order", orderId)) as (RecordedEvent & OrderEvent)[];
    const placed = history.find((e): e is RecordedEvent & OrderPlaced => e.type === "order.placed");
    if (placed === undefined) return;
    const customer = await this.users.get(placed.data.customerId);
    if (customer === undefined) return;
    await this.mailer.send({ to: customer.email, ...this.compose(orderId, placed.data) });
  }

  protected abstract compose(orderId: string, order: OrderPlaced["data"]): { subject: string; text: string };
}

function linesOf(order: OrderPlaced["data"]): string {
  return order.lines
    .map((line) => {
      const price = formatDecimal({ amountMinor: line.unitPriceMinor, currency: order.currency });
      return `  ${line.quantity} × ${line.productName ?? line.productId} at ${price} ${order.currency}`;
    })
    .join("\n");
}

const totalOf = (order: OrderPlaced["data"]) =>
  `${formatDecimal({ amountMinor: order.totalMinor, currency: order.currency })} ${order.currency}`;

export class OrderConfirmationMail extends OrderMail {
  readonly job = confirmationMail;

  protected compose(orderId: string, order: OrderPlaced["data"]) {
    return {
      subject: `Your order ${orderId} is confirmed`,
      text: `Hello,\n\nyour order ${orderId} is confirmed:\n${linesOf(order)}\nTotal: ${totalOf(order)}\n`,
    };
  }
}

export class OrderShippedMail extends OrderMail {
  readonly job = shippingMail;

  protected compose(orderId: string, order: OrderPlaced["data"]) {
    const address = order.shippingAddress;
    return {
      subject: `Your order ${orderId} has shipped`,
      text: `Hello,\n\nyour order ${orderId} is on its way to ${address.name}, ${address.city} (${address.country}).\n`,
    };
  }
}
