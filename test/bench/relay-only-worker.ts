/**
 * `keel worker` without its subscribers: the same container, configuration and relay component, so
 * the relay benchmark can say what the relay does on its own, without the two subscribers consuming
 * (and competing for the same two cores) while it publishes. Stops on SIGTERM like the real worker.
 */
import type { PinoLogger } from "../../src/adapters/logging/pino-logger.js";
import type { Relay } from "../../src/application/messaging/relay.js";
import { appConfig, loadConfig } from "../../src/bootstrap/app-config.js";
import { ConfigStore, formatConfigIssues } from "../../src/bootstrap/config/index.js";
import { buildContainer } from "../../src/bootstrap/container.js";
import type { Component, Lifecycle } from "../../src/bootstrap/lifecycle.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { Logger } from "../../src/ports/logger.js";

const read = () => loadConfig({ env: process.env, dir: process.cwd() });
const loaded = read();
if (!loaded.ok) {
  process.stderr.write(`relay-only worker: refusing to start\n${formatConfigIssues(loaded.issues)}\n`);
  process.exit(78);
}
const store = new ConfigStore({ definition: appConfig, config: loaded.config, reread: read });
const container = buildContainer(store);
const lifecycle = container.get<Lifecycle>(Tokens.Lifecycle);
const logger = container.get<PinoLogger>(Logger);
const relay = container.get<Relay>(Tokens.Relay);
await lifecycle.start([
  ...container.getAll<Component>(Tokens.Components, { optional: true }),
  { name: "relay", start: async () => relay.start(), stop: () => relay.stop() },
]);
logger.info({}, "relay-only worker is running");

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void lifecycle.stop().finally(() => {
      logger.flush();
      process.exit(0);
    });
  });
}
