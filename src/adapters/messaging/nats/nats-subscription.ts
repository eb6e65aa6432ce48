import { AckPolicy, type ConsumerMessages, DeliverPolicy, type JsMsg } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { InterruptiblePause } from "../../../application/shared/interruptible-pause.js";
import { DependencyUnavailable } from "../../../ports/dependency-unavailable.js";
import {
  type DeadLetter,
  PermanentFailure,
  type Subscription,
  type SubscriptionHandle,
} from "../../../ports/event-bus.js";
import type { RecordedEvent } from "../../../ports/event-log.js";
import { backoffAfter, type Retry, reasonOf } from "../bus-settings.js";
import { subscriptionToken } from "../subjects.js";
import { deadLetterHeaders } from "./dead-letter-message.js";
import { declareConsumer } from "./declare.js";
import { decodeEvent, parseJson } from "./event-message.js";
import type { NatsJetStream, NatsSource } from "./nats-connection.js";

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
 *
 * On a usable connection the first consumer is declared before this resolves (a failure rejects, as
 * a misconfiguration should); on a connection still being opened, consuming starts once it opens.
 */
export async function consume(source: NatsSource, subscription: Subscription): Promise<SubscriptionHandle> {
  const loop = new ConsumeLoop(source, subscription);
  await loop.start();
  return { stop: () => loop.stop() };
}

/**
 * How often a running handler tells JetStream it is still working: a third of the ack wait, so two
 * in-progress acks fall due before the deadline and one that is late (a busy event loop, a dropped
 * connection) does not get a handler that is still working redelivered. The ack wait itself stays
 * short, since it is what a crashed worker's delivery waits before it goes to someone else.
 */
export function heartbeatInterval(ackWaitMs: number): number {
  return Math.max(Math.floor(ackWaitMs / 3), 10);
}

/** Pause before consuming again after the n-th failure in a row (1-based): 1 s, doubling, at most 10 s. */
export function resumeDelay(failures: number): number {
  return Math.min(1000 * 2 ** (failures - 1), 10_000);
}

/**
 * How long one pull request waits on the server. The server sends idle heartbeats at half of it, and
 * two missed ones make consume() check on its consumer: 10 s (instead of the default 30 s) notices
 * within about 10 s a pull that went nowhere, such as one on a consumer deleted under it (servers
 * before 2.10 do not say so). An idle subscription sends one small request per 10 s.
 */
const PULL_EXPIRES_MS = 10_000;

interface Consuming {
  readonly messages: ConsumerMessages;
  readonly deliveries: Deliveries;
}

/**
 * Keeps one subscription consuming for as long as the process runs. JetStream's consume() rides out
 * reconnects by itself (it pulls again once the client is back), but it ends when the server refuses
 * a pull or the connection closes, and it goes on pulling, forever in vain, from a consumer that was
 * deleted. In those cases the loop declares the consumer again and resumes, after a growing pause.
 * It gives up only when the connection is closed for good, which the connection's liveness reports.
 */
class ConsumeLoop {
  private readonly name: string;
  private stopping = false;
  private messages: ConsumerMessages | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | undefined;
  private readonly stopSignal: Promise<undefined>;
  private signalStop: () => void = () => {};
  private readonly pauses = new InterruptiblePause();

  constructor(
    private readonly source: NatsSource,
    private readonly subscription: Subscription,
  ) {
    this.name = subscriptionToken(subscription.name);
    this.stopSignal = new Promise((resolve) => {
      this.signalStop = () => resolve(undefined);
    });
  }

  async start(): Promise<void> {
    const nats = this.source.usable();
    const first = nats === undefined ? undefined : await this.open(nats);
    this.running = this.run(first);
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.signalStop();
      this.pauses.interrupt();
      await this.messages?.close();
      await this.running;
    })();
    return this.stopped;
  }

  private async run(first: Consuming | undefined): Promise<void> {
    let consuming = first;
    let failures = 0;
    while (!this.stopping) {
      if (consuming === undefined) {
        let nats: NatsJetStream | undefined;
        try {
          nats = await Promise.race([this.source.opened(), this.stopSignal]);
        } catch (error) {
          this.report(error, "stopped consuming: the connection is closed for good");
          return;
        }
        if (nats === undefined) return;
        try {
          consuming = await this.open(nats);
        } catch (error) {
          if (this.stopping) return;
          failures += 1;
          this.report(error, `cannot consume (attempt ${failures}); retrying`);
          await this.pauses.wait(resumeDelay(failures));
          continue;
        }
      }
      const delivered = await consuming.deliveries.run(consuming.messages);
      if (this.stopping) return;
      failures = delivered > 0 ? 1 : failures + 1;
      this.report(new Error("consuming ended"), "declaring the consumer again");
      consuming = undefined;
      await this.pauses.wait(resumeDelay(failures));
    }
  }

  private async open(nats: NatsJetStream): Promise<Consuming> {
    const { subjects, settings } = nats;
    const redrive = subjects.redrive(this.name);
    const eventSubjects = new Set(this.subscription.eventTypes.map((type) => subjects.event(type)));
    await declareConsumer(nats.jsm, settings.stream, {
      durable_name: this.name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(settings.ackWaitMs),
      max_deliver: settings.maxDeliver + 1,
      max_ack_pending: 1,
      filter_subjects: nats.filtersOnServer ? [...eventSubjects, redrive] : undefined,
    });
    const consumer = await nats.js.consumers.get(settings.stream, this.name);
    const messages = await consumer.consume({ max_messages: 1, expires: PULL_EXPIRES_MS });
    this.messages = messages;
    if (this.stopping) await messages.close();
    void this.endIfConsumerGone(messages);
    const isOwn = (subject: string) => subject === redrive || eventSubjects.has(subject);
    return {
      messages,
      deliveries: new Deliveries(nats, this.subscription, this.name, isOwn, () => this.stopping),
    };
  }

  /** consume() only notifies that its consumer is gone; ending it lets the loop declare it again. */
  private async endIfConsumerGone(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (status.type === "consumer_deleted" || status.type === "consumer_not_found") {
        this.report(new Error(`the consumer is gone (${status.type})`), "declaring it again");
        await messages.close();
        return;
      }
    }
  }

  private report(error: unknown, what: string): void {
    this.source.settings.onError(error, `subscription ${this.name}: ${what}`);
  }
}

class Deliveries {
  constructor(
    private readonly nats: NatsJetStream,
    private readonly subscription: Subscription,
    private readonly name: string,
    private readonly isOwn: (subject: string) => boolean,
    private readonly stopping: () => boolean,
  ) {}

  /** Handles messages until the iterator ends; returns how many it handled. */
  async run(messages: ConsumerMessages): Promise<number> {
    let handled = 0;
    try {
      for await (const msg of messages) {
        // Fetched but not started: give it back now rather than after the ack wait.
        if (this.stopping()) msg.nak();
        else await this.deliver(msg).catch((error: unknown) => this.report(error, msg));
        handled += 1;
      }
    } catch (error) {
      this.nats.settings.onError(error, `subscription ${this.name}: consuming stopped`);
    }
    return handled;
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
    const heartbeat = setInterval(() => stillWorking(msg), heartbeatInterval(ackWaitMs));
    try {
      await this.handleThroughOutages(event, attempt);
    } catch (error) {
      clearInterval(heartbeat);
      if (error instanceof DependencyUnavailable) {
        // Stopping in the middle of an outage: back to the stream, not to the dead letters.
        msg.nak();
        this.retried("outage");
      } else if (error instanceof PermanentFailure || attempt >= maxDeliver) {
        await this.deadLetter(msg, event, reasonOf(error), attempt);
      } else {
        msg.nak(backoffAfter(this.nats.settings, attempt));
        this.retried("failure");
      }
      return;
    }
    clearInterval(heartbeat);
    await msg.ackAck();
  }

  /**
   * Runs the handler, and runs it again (the same attempt) after the backoff for as long as it fails
   * because a dependency is down: an outage is not the event's fault, so it must not use up
   * deliveries on the way to the dead letters. The delivery stays in hand meanwhile (the heartbeat
   * keeps it), since a nak would count as one more delivery on the server.
   */
  private async handleThroughOutages(event: RecordedEvent, attempt: number): Promise<void> {
    for (let outages = 1; ; outages++) {
      try {
        await this.subscription.handle(event, { attempt });
        return;
      } catch (error) {
        if (!(error instanceof DependencyUnavailable) || this.stopping()) throw error;
        this.retried("outage");
        await new Promise((resolve) => setTimeout(resolve, backoffAfter(this.nats.settings, outages)));
      }
    }
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
      this.retried("failure");
      throw error;
    }
    msg.term();
    this.nats.settings.onDeadLetter(letter);
  }

  private retried(cause: Retry["cause"]): void {
    this.nats.settings.onRetry({ subscription: this.name, cause });
  }

  private report(error: unknown, msg: JsMsg): void {
    this.nats.settings.onError(error, `subscription ${this.name}: message ${msg.seq} on ${msg.subject}`);
  }
}

/** An in-progress ack. On a closed connection it throws; the delivery then goes back after the ack wait anyway. */
function stillWorking(msg: JsMsg): void {
  try {
    msg.working();
  } catch {
    // Nothing to tell anyone: the connection's liveness check reports the closed connection.
  }
}
