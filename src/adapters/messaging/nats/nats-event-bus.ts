import type { EventBus, Subscription, SubscriptionHandle } from "../../../ports/event-bus.js";
import type { RecordedEvent } from "../../../ports/event-log.js";
import { eventHeaders } from "./event-message.js";
import { busUnavailable, type NatsSource } from "./nats-connection.js";
import { consume } from "./nats-subscription.js";

/** The event bus on JetStream: events on `<prefix>.<context>.<name>`, one durable consumer per subscription. */
export class NatsEventBus implements EventBus {
  constructor(private readonly nats: NatsSource) {}

  /**
   * The event id is the message id, so a re-publish within the stream's duplicate window is
   * acknowledged and dropped; resolves once the stream has stored the event (the PubAck). Without a
   * usable connection it fails at once rather than queueing behind a reconnect until its timeout.
   */
  async publish(event: RecordedEvent): Promise<void> {
    const nats = this.nats.usable();
    if (nats === undefined) throw busUnavailable();
    const { js, subjects, settings } = nats;
    await js.publish(subjects.event(event.type), JSON.stringify(event), {
      msgID: event.id,
      headers: eventHeaders(event),
      expect: { streamName: settings.stream },
    });
  }

  subscribe(subscription: Subscription): Promise<SubscriptionHandle> {
    return consume(this.nats, subscription);
  }
}
