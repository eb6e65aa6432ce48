import type { RecordedEvent } from "./event-log.js";
import { token } from "./token.js";

/** How one delivery of an event is going; `attempt` starts at 1. */
export interface Delivery {
  readonly attempt: number;
}

/**
 * A durable subscriber: the bus remembers where it is across restarts. `handle` runs once per
 * delivery; delivery is at least once, in order per aggregate, so handlers must be idempotent.
 * Throwing retries with backoff; throwing PermanentFailure (or failing `maxDeliver` times) sends
 * the event to the dead letters with the reason.
 */
export interface Subscription {
  /** Durable name, unique per subscriber, e.g. "product-stock-history". */
  readonly name: string;
  /** Event types it consumes, e.g. ["product.stock_adjusted"]. */
  readonly eventTypes: readonly string[];
  handle(event: RecordedEvent, delivery: Delivery): Promise<void>;
}

export interface SubscriptionHandle {
  /** Stops fetching; an in-flight delivery finishes (or goes back unacknowledged) first. */
  stop(): Promise<void>;
}

export interface EventBus {
  /**
   * Resolves once the bus has durably accepted the event. Publishing the same event id again
   * within the duplicate window is accepted and dropped, so a relay may safely retry.
   */
  publish(event: RecordedEvent): Promise<void>;
  subscribe(subscription: Subscription): Promise<SubscriptionHandle>;
}
export const EventBus = token<EventBus>("EventBus");

/** A failure that no retry can fix (a malformed event, a rule that will never pass). */
export class PermanentFailure extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PermanentFailure";
  }
}

export interface DeadLetter {
  /** Identifies the dead letter for re-driving. */
  readonly id: string;
  readonly event: RecordedEvent;
  readonly subscription: string;
  readonly reason: string;
  readonly deliveries: number;
  readonly failedAt: string;
}

/** Events that a subscriber gave up on, kept with the reason until someone re-drives them. */
export interface DeadLetters {
  list(limit: number): Promise<DeadLetter[]>;
  /** Delivers the event to its subscription again, and removes the dead letter. */
  redrive(id: string): Promise<void>;
}
export const DeadLetters = token<DeadLetters>("DeadLetters");
