import type { ProductEvent } from "../../domain/product/product-events.js";
import type { RecordedEvent } from "../../ports/event-log.js";
import type { StockMovement, StockMovements } from "../../ports/product/stock-movements.js";
import type { EventHandler } from "../messaging/idempotent-subscriber.js";

/** Maintains the per-product stock movement history from product events. */
export class StockHistoryProjection implements EventHandler {
  readonly name = "product-stock-history";
  readonly eventTypes = [
    "product.created",
    "product.stock_adjusted",
    "product.stock_reserved",
    "product.reservation_released",
    "product.reservation_committed",
  ];

  constructor(private readonly movements: StockMovements) {}

  async apply(recorded: RecordedEvent): Promise<void> {
    const movement = toMovement(recorded as RecordedEvent & ProductEvent);
    if (movement !== undefined) await this.movements.record(movement);
  }
}

function toMovement(event: RecordedEvent & ProductEvent): StockMovement | undefined {
  const base = {
    eventId: event.id,
    productId: event.aggregateId,
    version: event.version,
    occurredAt: event.occurredAt,
  };
  switch (event.type) {
    case "product.created":
      return { ...base, kind: "initial", quantity: event.data.stock, note: "initial stock" };
    case "product.stock_adjusted":
      return { ...base, kind: "adjusted", quantity: event.data.delta, note: event.data.reason };
    case "product.stock_reserved":
      return {
        ...base,
        kind: "reserved",
        quantity: event.data.quantity,
        note: `order ${event.data.orderId} line ${event.data.line}`,
      };
    case "product.reservation_released":
      return {
        ...base,
        kind: "released",
        quantity: event.data.quantity,
        note: `order ${event.data.orderId}`,
      };
    case "product.reservation_committed":
      return {
        ...base,
        kind: "committed",
        quantity: event.data.quantity,
        note: `order ${event.data.orderId}`,
      };
    default:
      return undefined;
  }
}
