import type { PinoLogger } from "../adapters/logging/pino-logger.js";
import { Logger } from "../ports/logger.js";
import type { ConfigStore } from "./config/index.js";
import { buildContainer, type ContainerOptions } from "./container.js";
import type { Component, Lifecycle } from "./lifecycle.js";
import { Tokens } from "./tokens.js";

export interface RunningWorker {
  readonly logger: Logger;
  /** Stops fetching; in-flight deliveries finish or go back unacknowledged; adapters close. */
  stop(): Promise<void>;
}

/** `keel worker`: the outbox relay and the event subscribers, without the HTTP server. */
export async function work(store: ConfigStore, options: ContainerOptions = {}): Promise<RunningWorker> {
  const container = buildContainer(store, options);
  const lifecycle = container.get<Lifecycle>(Tokens.Lifecycle);
  const logger = container.get<PinoLogger>(Logger);
  await lifecycle.start([
    ...container.getAll<Component>(Tokens.Components, { optional: true }),
    ...container.getAll<Component>(Tokens.WorkerComponents, { optional: true }),
  ]);
  logger.info({ env: store.get().appEnv }, "keel worker is running");
  return {
    logger,
    stop: async () => {
      await lifecycle.stop();
      logger.info({}, "keel worker stopped");
      logger.flush();
    },
  };
}
