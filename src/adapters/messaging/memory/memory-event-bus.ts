import type { EventBus, Subscription, SubscriptionHandle } from "../../../ports/event-bus.js";
import type { RecordedEvent } from "../../../ports/event-log.js";
import { type DeliverySettings, deliverySettings } from "../bus-settings.js";
import { subscriptionToken } from "../subjects.js";
import { MemoryBusState } from "./memory-bus-state.js";
import { MemoryConsumer } from "./memory-consumer.js";
import { MemoryDeadLetters } from "./memory-dead-letters.js";

export interface MemoryEventBusOptions extends Partial<DeliverySettings> {
  /** Clock for the duplicate window and dead-letter times. */
  readonly now?: () => Date;
}

/**
 * In-process bus for tests and development, with JetStream's delivery rules: durable positions per
 * subscription name (for the lifetime of this object), retries with backoff, dead letters, duplicate
 * ids dropped within the window, one delivery at a time per subscription. A new subscription starts
 * at the beginning of the log, as a new durable consumer does with the "all" deliver policy.
 */
export class MemoryEventBus implements EventBus {
  /** The dead letters of this bus (bind the DeadLetters port to it). */
  readonly deadLetters: MemoryDeadLetters;
  private readonly state: MemoryBusState;
  private readonly consumers = new Map<string, MemoryConsumer>();

  constructor(options: MemoryEventBusOptions = {}) {
    const { now = () => new Date(), ...delivery } = options;
    this.state = new MemoryBusState(deliverySettings(delivery), now);
    this.deadLetters = new MemoryDeadLetters(this.state);
  }

  async publish(event: RecordedEvent): Promise<void> {
    this.state.publish(event);
  }

  async subscribe(subscription: Subscription): Promise<SubscriptionHandle> {
    const name = subscriptionToken(subscription.name);
    let consumer = this.consumers.get(name);
    if (consumer === undefined) {
      consumer = new MemoryConsumer(name, this.state);
      this.consumers.set(name, consumer);
    }
    const joined = consumer;
    joined.join(subscription);
    let stopped: Promise<void> | undefined;
    return {
      stop: () => {
        stopped ??= joined.leave(subscription);
        return stopped;
      },
    };
  }
}
