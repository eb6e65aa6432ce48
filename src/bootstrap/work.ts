import type { AddressInfo } from "node:net";
import { createHealthApp } from "../adapters/http/http-app.js";
import { HttpServer } from "../adapters/http/http-server.js";
import type { PinoLogger } from "../adapters/logging/pino-logger.js";
import type { KeelMetrics } from "../adapters/metrics/keel-metrics.js";
import { HealthCheck, LivenessCheck } from "../ports/health-check.js";
import { Logger } from "../ports/logger.js";
import type { ConfigStore } from "./config/index.js";
import { buildContainer, type ContainerOptions } from "./container.js";
import { type Component, ComponentFailedToStart, type Lifecycle } from "./lifecycle.js";
import { metricsOptions } from "./modules/http-module.js";
import { Tokens } from "./tokens.js";

export interface RunningWorker {
  readonly logger: Logger;
  /** Where the worker's /health/live and /health/ready answer. */
  readonly health: AddressInfo;
  /** Stops fetching; in-flight deliveries finish or go back unacknowledged; adapters close. */
  stop(): Promise<void>;
}

/** `keel worker`: the outbox relay and the event subscribers, with health probes and /metrics but no API. */
export async function work(store: ConfigStore, options: ContainerOptions = {}): Promise<RunningWorker> {
  const config = store.get();
  const container = buildContainer(store, { role: "worker", ...options });
  const lifecycle = container.get<Lifecycle>(Tokens.Lifecycle);
  const logger = container.get<PinoLogger>(Logger);
  const probes = new HttpServer(
    createHealthApp({
      logger,
      readiness: {
        checks: container.getAll<HealthCheck>(HealthCheck, { optional: true }),
        liveness: container.getAll<LivenessCheck>(LivenessCheck, { optional: true }),
        phase: () => lifecycle.phase,
        timeoutMs: 2000,
      },
      metrics: metricsOptions(container.get<KeelMetrics>(Tokens.Metrics), config),
    }),
    config.http.host,
    config.worker.healthPort,
    config.http.shutdownTimeoutMs,
  );
  // Bound first: a port in use fails before the relay starts; readiness is 503 until all has.
  await probes.start().catch((error: unknown) => {
    throw new ComponentFailedToStart("health probes", error);
  });
  await lifecycle
    .start([
      ...container.getAll<Component>(Tokens.Components, { optional: true }),
      ...container.getAll<Component>(Tokens.PluginComponents, { optional: true }),
      ...container.getAll<Component>(Tokens.WorkerComponents, { optional: true }),
      { name: "health", start: async () => {}, stop: () => probes.stop() },
    ])
    .catch(async (error: unknown) => {
      await probes.stop();
      // The CLI exits on this error: lines written while starting (a component's own complaint among
      // them) must be out of the log's batch first.
      await logger.flush();
      throw error;
    });
  const health = probes.address();
  logger.info({ env: config.appEnv, healthPort: health.port }, "keel worker is running");
  return {
    logger,
    health,
    stop: async () => {
      await lifecycle.stop();
      logger.info({}, "keel worker stopped");
      await logger.flush();
    },
  };
}
