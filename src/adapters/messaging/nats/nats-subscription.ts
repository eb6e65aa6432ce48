import { AckPolicy, type ConsumerMessages, DeliverPolicy, type JsMsg } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import {
  type DeadLetter,
  PermanentFailure,
  type Subscription,
  type SubscriptionHandle,
} from "../../../ports/event-bus.js";
import type { RecordedEvent } from "../../../ports/event-log.js";
import { backoffAfter, reasonOf } from "../bus-settings.js";
import { subscriptionToken } from "../subjects.js";
import { deadLetterHeaders } from "./dead-letter-message.js";
import { declareConsumer } from "./declare.js";
import { decodeEvent, parseJson } from "./event-message.js";
import type { NatsJetStream } from "./nats-connection.js";

/**
 * Declares the subscription's durable pull consumer and consumes it, one message at a time.
 *
 * `max_ack_pending: 1`: JetStream hands out the next message only once the previous one is acked
 * or terminated. A nak'd message stays pending through its backoff, so a failing event holds back
 * the ones after it and events of one aggregate (of every aggregate, in fact) are handled in order
 * even across redeliveries. This trades parallelism within one consumer for order; throughput comes
 * later from more consumers (one per subscription already, or partitioned subjects).
 *
 * The server's `max_deliver` is one more than ours: when the last allowed delivery is never settled
 * (handler past the ack wait, worker killed), one extra delivery arrives and is dead-lettered without
 * running the handler, instead of the server silently giving up on the message.
 *
 * The backoff schedule is applied by `nak(delay)`, not by the consumer's `backoff` setting: that
 * setting replaces `ack_wait` per attempt, so a 100 ms first step would redeliver a handler still
 * working after 100 ms.
 */
export async function consume(nats: NatsJetStream, subscription: Subscription): Promise<SubscriptionHandle> {
  const name = subscriptionToken(subscription.name);
  const { subjects, settings } = nats;
  const redrive = subjects.redrive(name);
  const eventSubjects = new Set(subscription.eventTypes.map((type) => subjects.event(type)));
  await declareConsumer(nats.jsm, settings.stream, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(settings.ackWaitMs),
    max_deliver: settings.maxDeliver + 1,
    max_ack_pending: 1,
    filter_subjects: nats.filtersOnServer ? [...eventSubjects, redrive] : undefined,
  });
  const consumer = await nats.js.consumers.get(settings.stream, name);
  const messages = await consumer.consume({ max_messages: 1 });
  const delivery = new Deliveries(
    nats,
    subscription,
    name,
    (subject) => subject === redrive || eventSubjects.has(subject),
  );
  const loop = delivery.run(messages);
  let stopped: Promise<void> | undefined;
  return {
    stop: () => {
      stopped ??= (async () => {
        delivery.stopping = true;
        await messages.close();
        await loop;
      })();
      return stopped;
    },
  };
}

class Deliveries {
  stopping = false;

  constructor(
    private readonly nats: NatsJetStream,
    private readonly subscription: Subscription,
    private readonly name: string,
    private readonly isOwn: (subject: string) => boolean,
  ) {}

  async run(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) {
        // Fetched but not started: give it back now rather than after the ack wait.
        if (this.stopping) msg.nak();
        else await this.deliver(msg).catch((error: unknown) => this.report(error, msg));
      }
    } catch (error) {
      this.nats.settings.onError(error, `subscription ${this.name}: consuming stopped`);
    }
  }

  private async deliver(msg: JsMsg): Promise<void> {
    if (!this.isOwn(msg.subject)) {
      msg.ack();
      return;
    }
    const event = decodeEvent(parseJson(msg.data));
    if (event === undefined) {
      // Not a keel event (nothing to hand to a subscriber or to list as a dead letter).
      msg.term();
      this.report(new Error(`message ${msg.seq} on ${msg.subject} is not an event`), msg);
      return;
    }
    const attempt = msg.info.deliveryCount;
    const { maxDeliver, ackWaitMs } = this.nats.settings;
    if (attempt > maxDeliver) {
      await this.deadLetter(msg, event, `not settled after ${maxDeliver} deliveries`, maxDeliver);
      return;
    }
    // Tells JetStream the handler is still working, so a long handler is not redelivered meanwhile.
    const heartbeat = setInterval(() => msg.working(), Math.max(ackWaitMs / 2, 10));
    try {
      await this.subscription.handle(event, { attempt });
    } catch (error) {
      clearInterval(heartbeat);
      if (error instanceof PermanentFailure || attempt >= maxDeliver) {
        await this.deadLetter(msg, event, reasonOf(error), attempt);
      } else {
        msg.nak(backoffAfter(this.nats.settings, attempt));
      }
      return;
    }
    clearInterval(heartbeat);
    await msg.ackAck();
  }

  /** Stores the dead letter, then terminates the original; if storing fails, it is retried later. */
  private async deadLetter(
    msg: JsMsg,
    event: RecordedEvent,
    reason: string,
    deliveries: number,
  ): Promise<void> {
    const letter: Omit<DeadLetter, "id"> = {
      event,
      subscription: this.name,
      reason,
      deliveries,
      failedAt: new Date().toISOString(),
    };
    const { js, subjects, deadLetterStream } = this.nats;
    try {
      await js.publish(subjects.dead(this.name), JSON.stringify(letter), {
        // A retry after a crash between publish and term stores the same dead letter once.
        msgID: `${this.name}:${msg.seq}`,
        headers: deadLetterHeaders(letter),
        expect: { streamName: deadLetterStream },
      });
    } catch (error) {
      msg.nak(backoffAfter(this.nats.settings, deliveries));
      throw error;
    }
    msg.term();
  }

  private report(error: unknown, msg: JsMsg): void {
    this.nats.settings.onError(error, `subscription ${this.name}: message ${msg.seq} on ${msg.subject}`);
  }
}
