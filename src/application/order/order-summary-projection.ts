import type { OrderCancelled, OrderEvent, OrderPlaced } from "../../domain/order/order-events.js";
import type { EventLog, RecordedEvent } from "../../ports/event-log.js";
import type { OrderSummaries } from "../../ports/order/order-summaries.js";
import type { EventHandler } from "../messaging/idempotent-subscriber.js";

/**
 * Maintains each customer's order summary: orders placed (every one counts, whatever became of it),
 * the last one placed, and what they spent per currency — a paid order's total, taken back when a
 * paid order is cancelled (its refund is due). `order.paid` and `order.cancelled` do not carry the
 * total, so it is read from the order's `order.placed` in the log.
 */
export class OrderSummaryProjection implements EventHandler {
  readonly name = "order-customer-summary";
  readonly eventTypes = ["order.placed", "order.paid", "order.cancelled"];

  constructor(
    private readonly summaries: OrderSummaries,
    private readonly log: EventLog,
  ) {}

  async apply(recorded: RecordedEvent): Promise<void> {
    const event = recorded as RecordedEvent & OrderEvent;
    if (event.type === "order.placed") {
      await this.summaries.recordPlaced(event.data.customerId, event.aggregateId, event.occurredAt);
      return;
    }
    if (event.type === "order.cancelled" && !(event as OrderCancelled).data.refundDue) return;
    if (event.type !== "order.paid" && event.type !== "order.cancelled") return;
    const placed = (await this.log.history("order", event.aggregateId)).find(
      (e): e is RecordedEvent & OrderPlaced => e.type === "order.placed",
    );
    if (placed === undefined) return;
    const sign = event.type === "order.paid" ? 1 : -1;
    await this.summaries.addSpent(
      placed.data.customerId,
      placed.data.currency,
      sign * placed.data.totalMinor,
    );
  }
}
