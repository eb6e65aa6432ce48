import type { OrderEvent, OrderPlaced } from "../../domain/order/order-events.js";
import { formatDecimal } from "../../domain/shared/money.js";
import type { EventLog, RecordedEvent } from "../../ports/event-log.js";
import type { Mailer } from "../../ports/mailer.js";
import type { UserReadModel } from "../../ports/user/user-read-model.js";
import type { EventHandler } from "../messaging/idempotent-subscriber.js";

/**
 * Tells the customer their order is confirmed (`order.confirmed`) and that it shipped
 * (`order.shipped`). Each is its own subscriber, so the inbox sends each mail once per order; like
 * every mail it is at least once (sent before the inbox mark commits). The address is the
 * customer's current one; a customer whose account is gone gets no mail.
 */
abstract class OrderMail implements EventHandler {
  abstract readonly name: string;
  abstract readonly eventTypes: readonly string[];

  constructor(
    private readonly log: EventLog,
    private readonly users: UserReadModel,
    private readonly mailer: Mailer,
  ) {}

  async apply(event: RecordedEvent): Promise<void> {
    const history = (await this.log.history("order", event.aggregateId)) as (RecordedEvent & OrderEvent)[];
    const placed = history.find((e): e is RecordedEvent & OrderPlaced => e.type === "order.placed");
    if (placed === undefined) return;
    const customer = await this.users.get(placed.data.customerId);
    if (customer === undefined) return;
    await this.mailer.send({ to: customer.email, ...this.compose(event.aggregateId, placed.data) });
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
  readonly name = "order-confirmation-mail";
  readonly eventTypes = ["order.confirmed"];

  protected compose(orderId: string, order: OrderPlaced["data"]) {
    return {
      subject: `Your order ${orderId} is confirmed`,
      text: `Hello,\n\nyour order ${orderId} is confirmed:\n${linesOf(order)}\nTotal: ${totalOf(order)}\n`,
    };
  }
}

export class OrderShippedMail extends OrderMail {
  readonly name = "order-shipped-mail";
  readonly eventTypes = ["order.shipped"];

  protected compose(orderId: string, order: OrderPlaced["data"]) {
    const address = order.shippingAddress;
    return {
      subject: `Your order ${orderId} has shipped`,
      text: `Hello,\n\nyour order ${orderId} is on its way to ${address.name}, ${address.city} (${address.country}).\n`,
    };
  }
}
