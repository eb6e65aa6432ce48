import type { KeelMetrics } from "../../adapters/metrics/keel-metrics.js";
import { countingDeliveries, countingPublishes } from "../../adapters/metrics/measured-messaging.js";
import { type EventHandler, idempotent } from "../../application/messaging/idempotent-subscriber.js";
import { Relay } from "../../application/messaging/relay.js";
import { Clock } from "../../ports/clock.js";
import { EventBus, type SubscriptionHandle } from "../../ports/event-bus.js";
import { EventLog } from "../../ports/event-log.js";
import { HealthCheck } from "../../ports/health-check.js";
import { Inbox } from "../../ports/inbox.js";
import { Logger } from "../../ports/logger.js";
import { LogWatcher, RelayCheckpoints, RelayLease } from "../../ports/relay-state.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import type { AppConfig } from "../config/index.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";
import { allOf } from "./all-of.js";
import type { Module, Role } from "./module.js";

/** What `keel worker` runs: the outbox relay, then every event handler as an idempotent subscriber. */
export const workerModule: Module = (container, config, role) => {
  container.bind(Tokens.Relay).toResolvedValue(
    (
      log: EventLog,
      bus: EventBus,
      checkpoints: RelayCheckpoints,
      lease: RelayLease,
      watcher: LogWatcher,
      clock: Clock,
      logger: Logger,
      metrics: KeelMetrics,
    ) =>
      new Relay(
        log,
        countingPublishes(bus, metrics),
        checkpoints,
        lease,
        watcher,
        clock,
        logger.child({ component: "relay" }),
        {
          batchSize: config.relay.batchSize,
          pollMs: config.relay.pollMs,
          standbyMs: 1000,
          // After an outage the relay is back within this; a failed round costs little (the bus fails
          // fast without a connection), and repeated failures are logged sparingly.
          maxRetryMs: 2000,
        },
      ),
    [EventLog, EventBus, RelayCheckpoints, RelayLease, LogWatcher, Clock, Logger, Tokens.Metrics],
  );

  container.bind(Tokens.WorkerComponents).toResolvedValue(
    (relay: Relay): Component => ({
      name: "relay",
      start: async () => relay.start(),
      stop: () => relay.stop(),
    }),
    [Tokens.Relay],
  );

  container.bind(Tokens.WorkerComponents).toResolvedValue(
    (
      bus: EventBus,
      unitOfWork: UnitOfWork,
      inbox: Inbox,
      handlers: EventHandler[] | undefined,
      metrics: KeelMetrics,
    ): Component => {
      const running: SubscriptionHandle[] = [];
      return {
        name: "subscribers",
        start: async () => {
          for (const handler of handlers ?? [])
            running.push(
              await bus.subscribe(countingDeliveries(idempotent(handler, unitOfWork, inbox), metrics)),
            );
        },
        stop: async () => {
          await Promise.all(running.splice(0).map((handle) => handle.stop()));
        },
      };
    },
    [EventBus, UnitOfWork, Inbox, allOf(Tokens.EventHandlers), Tokens.Metrics],
  );

  // Readiness reports the relay's lag only where the relay runs: the worker, or serve running it too.
  if (!runsWorker(config, role)) return;
  container
    .bind(HealthCheck)
    .toResolvedValue((relay: Relay) => relayLagCheck(relay, config.relay.maxLagS), [Tokens.Relay]);
};

/** Whether this process runs the worker's components: `keel worker`, or serve with WORKER__IN_PROCESS. */
export function runsWorker(config: AppConfig, role: Role): boolean {
  return role === "worker" || (role === "serve" && config.worker.inProcess);
}

/**
 * Down while the oldest event not yet published is older than `maxSeconds`: reported, not required,
 * since a burst of writes makes the relay lag for a while without anything being wrong. Measured from
 * the log at each probe, so a stuck relay shows as down too.
 */
export function relayLagCheck(relay: Pick<Relay, "lag">, maxSeconds: number): HealthCheck {
  return {
    name: "relay-lag",
    required: false,
    check: async () => {
      const lag = await relay.lag();
      if (lag.seconds > maxSeconds)
        throw new Error(`${lag.events} events not published, the oldest ${Math.round(lag.seconds)} s old`);
    },
  };
}
