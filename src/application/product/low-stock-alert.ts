import type { ProductEvent } from "../../domain/product/product-events.js";
import { evolveProduct, type ProductState } from "../../domain/product/product-state.js";
import type { EventLog, RecordedEvent } from "../../ports/event-log.js";
import type { Mailer } from "../../ports/mailer.js";
import type { EventHandler } from "../messaging/idempotent-subscriber.js";

export interface LowStockSettings {
  /** An alert goes out when available stock falls below this many units. */
  readonly threshold: number;
  readonly recipient: string;
}

/**
 * E-mails an alert when a product's available stock falls below the threshold — once, on the
 * event that crossed it, not on every later change while it stays low. The state at that event is
 * rebuilt from the log, so a late delivery decides exactly as a prompt one would.
 *
 * Mail is not transactional: it is sent before the inbox mark commits, so a crash in between
 * sends it again on redelivery (at least once, never lost).
 */
export class LowStockAlert implements EventHandler {
  readonly name = "product-low-stock-alert";
  readonly eventTypes = ["product.stock_adjusted", "product.stock_reserved"];

  constructor(
    private readonly log: EventLog,
    private readonly mailer: Mailer,
    private readonly settings: LowStockSettings,
  ) {}

  async apply(event: RecordedEvent): Promise<void> {
    // Only a change that took units away can cross the threshold downwards.
    if (reduction(event as RecordedEvent & ProductEvent) === 0) return;
    const history = (await this.log.history("product", event.aggregateId)) as unknown as (RecordedEvent &
      ProductEvent)[];
    const after = stateAt(history, event.version);
    const change = history.find((e) => e.version === event.version);
    if (after === undefined || change === undefined) return;
    const available = after.onHand - after.reserved;
    const before = available + reduction(change);
    if (available >= this.settings.threshold || before < this.settings.threshold) return;
    await this.mailer.send({
      to: this.settings.recipient,
      subject: `Low stock: ${after.name} (${after.sku})`,
      text: `${after.name} (${after.sku}) has ${available} available, below the threshold of ${this.settings.threshold}.`,
    });
  }
}

function stateAt(history: readonly ProductEvent[], version: number): ProductState | undefined {
  let state: ProductState | undefined;
  for (const event of history) {
    if (event.version > version) break;
    state = evolveProduct(state, event);
  }
  return state;
}

/** How many available units the event took away (0 when it added some). */
function reduction(event: ProductEvent): number {
  if (event.type === "product.stock_adjusted") return Math.max(0, -event.data.delta);
  if (event.type === "product.stock_reserved") return event.data.quantity;
  return 0;
}
