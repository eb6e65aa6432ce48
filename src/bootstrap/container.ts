import { Container } from "inversify";
import type { DestinationStream } from "pino";
import { createLogDestination } from "../adapters/logging/log-destination.js";
import { createPinoLogger } from "../adapters/logging/pino-logger.js";
import { activeSpanIds } from "../adapters/tracing/trace-context.js";
import { Logger } from "../ports/logger.js";
import type { AppConfig, ConfigStore } from "./config/index.js";
import { contextsModule } from "./context/compose-contexts.js";
import type { ContextModule } from "./context/context-module.js";
import { CONTEXTS } from "./contexts.js";
import { Lifecycle } from "./lifecycle.js";
import { cacheModule } from "./modules/cache-module.js";
import { coreModule } from "./modules/core-module.js";
import { eventBusModule } from "./modules/event-bus-module.js";
import { httpModule } from "./modules/http-module.js";
import { jobsModule } from "./modules/jobs-module.js";
import { mailModule } from "./modules/mail-module.js";
import { memoryPersistenceModule } from "./modules/memory-persistence-module.js";
import { metricsModule } from "./modules/metrics-module.js";
import type { Module, Role } from "./modules/module.js";
import { pglitePersistenceModule } from "./modules/pglite-persistence-module.js";
import { postgresPersistenceModule } from "./modules/postgres-persistence-module.js";
import { rateLimitModule } from "./modules/rate-limit-module.js";
import { securityModule } from "./modules/security-module.js";
import { tracingModule } from "./modules/tracing-module.js";
import { workerModule } from "./modules/worker-module.js";
import type { PluginManifest } from "./plugins/plugin-manifest.js";
import { pluginsModule } from "./plugins/plugins-module.js";
import { Tokens } from "./tokens.js";

/** What the service is made of besides the foundation. */
export interface Composition {
  /** The bounded contexts to bind; the service's own (src/bootstrap/contexts.ts) unless a test says otherwise. */
  readonly contexts?: readonly ContextModule[];
  /** The enabled plugins, in start order (loadService finds them); none unless given. */
  readonly plugins?: readonly PluginManifest[];
}

export interface ContainerOptions extends Composition {
  /** What the process runs; a few bindings (the relay's readiness check) depend on it. */
  readonly role?: Role;
  /** Where log lines go; stdout unless a test captures them. */
  readonly logDestination?: DestinationStream;
  /** Applied last, so a test can rebind any port to its own adapter. */
  readonly overrides?: (container: Container) => void;
}

/** Adapters per persistence driver. */
const PERSISTENCE: Record<AppConfig["persistence"]["driver"], Module> = {
  memory: memoryPersistenceModule,
  pglite: pglitePersistenceModule,
  postgres: postgresPersistenceModule,
};

/** The composition root: the one place that knows which adapter serves each port. */
export function buildContainer(store: ConfigStore, options: ContainerOptions = {}): Container {
  const config = store.get();
  const container = new Container({ defaultScope: "Singleton" });

  container.bind(Tokens.ConfigStore).toConstantValue(store);
  container.bind(Logger).toConstantValue(
    createPinoLogger(
      store.select((c) => ({ level: c.log.level })),
      {
        pretty: config.log.pretty,
        destination: createLogDestination({
          pretty: config.log.pretty,
          console: options.logDestination,
          file:
            config.log.file === undefined
              ? undefined
              : { path: config.log.file, maxBytes: config.log.fileMaxBytes, keep: config.log.fileKeep },
        }),
        // Every line written inside a span names it, so a log search leads to the trace.
        ...(config.tracing.enabled ? { correlation: activeSpanIds } : {}),
      },
    ),
  );
  container.bind(Tokens.Lifecycle).toResolvedValue((logger: Logger) => new Lifecycle(logger), [Logger]);

  const plugins = options.plugins ?? [];
  const modules = [
    metricsModule,
    tracingModule,
    coreModule,
    PERSISTENCE[config.persistence.driver],
    eventBusModule,
    mailModule,
    securityModule,
    // A plugin brings what a context does, bound the same way, after the contexts.
    contextsModule([...(options.contexts ?? CONTEXTS), ...plugins]),
    pluginsModule(plugins),
    cacheModule,
    workerModule,
    jobsModule,
    rateLimitModule,
    httpModule,
  ];
  for (const module of modules) {
    module(container, config, options.role ?? "tool");
  }

  options.overrides?.(container);
  return container;
}
