import { MemoryEventBus } from "../../adapters/messaging/memory/memory-event-bus.js";
import { NatsDeadLetters } from "../../adapters/messaging/nats/nats-dead-letters.js";
import { NatsEventBus } from "../../adapters/messaging/nats/nats-event-bus.js";
import { NatsLink } from "../../adapters/messaging/nats/nats-link.js";
import type { KeelMetrics } from "../../adapters/metrics/keel-metrics.js";
import { deliveryCounts } from "../../adapters/metrics/measured-messaging.js";
import { type DeadLetter, DeadLetters, EventBus } from "../../ports/event-bus.js";
import { HealthCheck, LivenessCheck } from "../../ports/health-check.js";
import { Logger } from "../../ports/logger.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";

/**
 * EVENT_BUS__DRIVER: in process (development, tests) or NATS JetStream (production).
 *
 * What each process needs of NATS (ARCHITECTURE.md: each process requires for readiness only what
 * it uses):
 * - `serve` without the in-process worker neither publishes nor consumes, so it binds no bus at
 *   all: it starts, serves and is ready whatever NATS does;
 * - the worker publishes and consumes: it starts while NATS is down (connecting in the background),
 *   is not ready until the bus answers, and is not alive once the client gave up for good;
 * - `serve` with the in-process worker runs that worker the same way, but its API does not need the
 *   bus, so the bus is reported in its readiness without being required;
 * - one-shot commands connect on first use of the bus, once: `keel migrate` or `keel users` never
 *   need the broker, and `keel dead-letters` fails at once (one line, exit 69) when it cannot reach it.
 */
export const eventBusModule: Module = (container, config, role) => {
  const { maxDeliver, backoffMs, duplicateWindowMs, ackWaitMs, stream } = config.eventBus;
  const delivery = (logger: Logger, metrics: KeelMetrics) => {
    const report = deadLetterReport(logger.child({ component: "event-bus" }));
    const counts = deliveryCounts(metrics);
    return {
      maxDeliver,
      backoffMs,
      duplicateWindowMs,
      onRetry: counts.onRetry,
      onDeadLetter: (letter: Omit<DeadLetter, "id">) => {
        counts.onDeadLetter(letter);
        report(letter);
      },
    };
  };
  if (config.eventBus.driver === "memory") {
    container
      .bind(Tokens.MemoryBus)
      .toResolvedValue(
        (logger: Logger, metrics: KeelMetrics) => new MemoryEventBus(delivery(logger, metrics)),
        [Logger, Tokens.Metrics],
      );
    // The port through its own binding: decorating it (tracing) must not hide the dead letters.
    container.bind(EventBus).toResolvedValue((bus: MemoryEventBus) => bus, [Tokens.MemoryBus]);
    container.bind(DeadLetters).toResolvedValue((bus: MemoryEventBus) => bus.deadLetters, [Tokens.MemoryBus]);
    return;
  }
  const runsWorker = role === "worker" || (role === "serve" && config.worker.inProcess);
  if (role === "serve" && !runsWorker) return;

  container.bind(Tokens.Nats).toResolvedValue(
    (logger: Logger, metrics: KeelMetrics) => {
      const log = logger.child({ component: "event-bus" });
      return new NatsLink({
        ...delivery(logger, metrics),
        ackWaitMs,
        url: config.nats.url,
        stream,
        subjectPrefix: stream,
        onError: (error, context) => log.warn({ err: error, context }, "event bus problem"),
        onConnection: (change, server) =>
          change === "disconnected"
            ? log.warn({ server }, "event bus disconnected; reconnecting")
            : log.info({ server }, `event bus ${change}`),
      });
    },
    [Logger, Tokens.Metrics],
  );
  // A long-running process opens the link as it starts; a command, when it first touches the bus.
  const ready = (nats: NatsLink) => (role === "tool" ? nats.connect() : Promise.resolve());
  container.bind(EventBus).toResolvedValue(
    (nats: NatsLink): EventBus => {
      const bus = new NatsEventBus(nats);
      return {
        publish: async (event) => {
          await ready(nats);
          return bus.publish(event);
        },
        subscribe: async (subscription) => {
          await ready(nats);
          return bus.subscribe(subscription);
        },
      };
    },
    [Tokens.Nats],
  );
  container.bind(DeadLetters).toResolvedValue(
    (nats: NatsLink): DeadLetters => ({
      list: async (limit) => {
        await ready(nats);
        return new NatsDeadLetters(await nats.opened()).list(limit);
      },
      redrive: async (id) => {
        await ready(nats);
        return new NatsDeadLetters(await nats.opened()).redrive(id);
      },
    }),
    [Tokens.Nats],
  );
  container.bind(Tokens.Components).toResolvedValue(
    (nats: NatsLink): Component => ({
      name: "nats",
      start: () => (role === "tool" ? Promise.resolve() : nats.open()),
      stop: () => nats.close(),
    }),
    [Tokens.Nats],
  );
  if (!runsWorker) return;
  container.bind(HealthCheck).toResolvedValue(
    (nats: NatsLink): HealthCheck => ({
      name: "event-bus",
      required: role === "worker",
      check: () => nats.check(),
    }),
    [Tokens.Nats],
  );
  container
    .bind(LivenessCheck)
    .toResolvedValue(
      (nats: NatsLink): LivenessCheck => ({ name: "event-bus", beyondRecovery: () => nats.beyondRecovery() }),
      [Tokens.Nats],
    );
};

/** One error line per dead letter, naming the subscriber, the event and why: the operator's cue to redrive. */
function deadLetterReport(logger: Logger): (letter: Omit<DeadLetter, "id">) => void {
  return (letter) =>
    logger.error(
      {
        subscription: letter.subscription,
        eventId: letter.event.id,
        eventType: letter.event.type,
        deliveries: letter.deliveries,
        reason: letter.reason,
      },
      "event dead-lettered; keel dead-letters list shows it, redrive sends it again",
    );
}
