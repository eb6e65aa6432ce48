import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Container } from "inversify";
import type { HttpServer } from "../adapters/http/http-server.js";
import type { PinoLogger } from "../adapters/logging/pino-logger.js";
import { Logger } from "../ports/logger.js";
import type { ConfigStore } from "./config/index.js";
import { buildContainer, type ContainerOptions } from "./container.js";
import { type Component, ComponentFailedToStart, type Lifecycle } from "./lifecycle.js";
import { Tokens } from "./tokens.js";

export interface RunningServer {
  readonly container: Container;
  readonly address: AddressInfo;
  readonly logger: Logger;
  /** Readiness turns 503, the server stops accepting, in-flight requests finish, adapters close. */
  stop(): Promise<void>;
}

/** Builds the container and starts every component of `keel serve` in dependency order. */
export async function serve(store: ConfigStore, options: ContainerOptions = {}): Promise<RunningServer> {
  const config = store.get();
  const container = buildContainer(store, { role: "serve", ...options });
  const lifecycle = container.get<Lifecycle>(Tokens.Lifecycle);
  const server = container.get<HttpServer>(Tokens.HttpServer);
  const logger = container.get<PinoLogger>(Logger);
  const adapters = container.getAll<Component>(Tokens.Components, { optional: true });
  const plugins = container.getAll<Component>(Tokens.PluginComponents, { optional: true });
  const worker = config.worker.inProcess
    ? container.getAll<Component>(Tokens.WorkerComponents, { optional: true })
    : [];
  // Bound first: a port in use fails before anything else starts; requests get 503 until all has.
  await server.start().catch((error: unknown) => {
    throw new ComponentFailedToStart("HTTP server", error);
  });
  await lifecycle
    .start([
      ...adapters,
      ...plugins,
      ...worker,
      {
        name: "http",
        start: async () => {},
        // Readiness is already 503 here (the lifecycle is draining). Responses say Connection: close
        // from now on, so no client reuses a connection that will close; the delay lets load balancers
        // notice before the listener closes.
        stop: async () => {
          server.drain();
          await sleep(config.http.drainDelayMs);
          await server.stop();
        },
      },
    ])
    .catch(async (error: unknown) => {
      await server.stop();
      // The CLI exits on this error: lines written while starting (a component's own complaint among
      // them) must be out of the log's batch first.
      await logger.flush();
      throw error;
    });
  const address = server.address();
  logger.info({ host: address.address, port: address.port, env: config.appEnv }, "keel is serving");
  return {
    container,
    address,
    logger,
    stop: async () => {
      await lifecycle.stop();
      logger.info({}, "keel stopped");
      await logger.flush();
    },
  };
}
