import { MemoryEventBus } from "../../adapters/messaging/memory/memory-event-bus.js";
import { NatsJetStream } from "../../adapters/messaging/nats/nats-connection.js";
import { NatsDeadLetters } from "../../adapters/messaging/nats/nats-dead-letters.js";
import { NatsEventBus } from "../../adapters/messaging/nats/nats-event-bus.js";
import { DeadLetters, EventBus } from "../../ports/event-bus.js";
import { HealthCheck } from "../../ports/health-check.js";
import { Logger } from "../../ports/logger.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";

/** EVENT_BUS__DRIVER: in process (development, tests) or NATS JetStream (production). */
export const eventBusModule: Module = (container, config) => {
  const { maxDeliver, backoffMs, duplicateWindowMs, ackWaitMs, stream } = config.eventBus;
  const delivery = { maxDeliver, backoffMs, duplicateWindowMs };
  if (config.eventBus.driver === "memory") {
    container.bind(EventBus).toResolvedValue(() => new MemoryEventBus(delivery));
    container.bind(DeadLetters).toResolvedValue((bus: MemoryEventBus) => bus.deadLetters, [EventBus]);
    return;
  }

  // Connecting is asynchronous, so the connection opens as a component (before the worker and the
  // HTTP server start) and the bus and dead letters reach it through the holder once it is open.
  container.bind(Tokens.Nats).toResolvedValue(
    (logger: Logger) =>
      new NatsHolder(() =>
        NatsJetStream.connect({
          ...delivery,
          ackWaitMs,
          url: config.nats.url,
          stream,
          subjectPrefix: stream,
          onError: (error, context) => logger.warn({ err: error, context }, "event bus problem"),
        }),
      ),
    [Logger],
  );
  container.bind(EventBus).toResolvedValue(
    (nats: NatsHolder): EventBus => ({
      publish: (event) => new NatsEventBus(nats.get()).publish(event),
      subscribe: (subscription) => new NatsEventBus(nats.get()).subscribe(subscription),
    }),
    [Tokens.Nats],
  );
  container.bind(DeadLetters).toResolvedValue(
    (nats: NatsHolder): DeadLetters => ({
      list: (limit) => new NatsDeadLetters(nats.get()).list(limit),
      redrive: (id) => new NatsDeadLetters(nats.get()).redrive(id),
    }),
    [Tokens.Nats],
  );
  container
    .bind(Tokens.Components)
    .toResolvedValue(
      (nats: NatsHolder): Component => ({ name: "nats", start: () => nats.open(), stop: () => nats.close() }),
      [Tokens.Nats],
    );
  container.bind(HealthCheck).toResolvedValue(
    (nats: NatsHolder): HealthCheck => ({
      name: "event-bus",
      required: true,
      check: () => nats.get().check(),
    }),
    [Tokens.Nats],
  );
};

class NatsHolder {
  private connection: NatsJetStream | undefined;

  constructor(private readonly connect: () => Promise<NatsJetStream>) {}

  async open(): Promise<void> {
    this.connection ??= await this.connect();
  }

  get(): NatsJetStream {
    if (this.connection === undefined) throw new Error("the NATS connection is not open");
    return this.connection;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }
}
