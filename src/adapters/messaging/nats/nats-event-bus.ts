import type { EventBus, Subscription, SubscriptionHandle } from "../../../ports/event-bus.js";
import type { RecordedEvent } from "../../../ports/event-log.js";
import { eventHeaders } from "./event-message.js";
import type { NatsJetStream } from "./nats-connection.js";
import { consume } from "./nats-subscription.js";

/** The event bus on JetStream: events on `<prefix>.<context>.<name>`, one durable consumer per subscription. */
export class NatsEventBus implements EventBus {
  constructor(private readonly nats: NatsJetStream) {}

  /**
   * The event id is the message id, so a re-publish within the stream's duplicate window is
   * acknowledged and dropped; resolves once the stream has stored the event (the PubAck).
   */
  async publish(event: RecordedEvent): Promise<void> {
    const { js, subjects, settings } = this.nats;
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
