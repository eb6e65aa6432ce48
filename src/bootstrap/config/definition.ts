import {
  appEnvSetting,
  type ConfigDefinition,
  type ConfigOf,
  defineConfig,
  type Rule,
  type Section,
} from "./define-config.js";
import {
  argon2Settings,
  authSettings,
  DEVELOPMENT_ADMIN_PASSWORD,
  DEVELOPMENT_JWT_SECRET,
  type PermissionDefaults,
} from "./sections/auth.js";
import { cacheSettings } from "./sections/cache.js";
import { apiSettings, featuresSettings, httpSettings } from "./sections/http.js";
import { jobsSettings } from "./sections/jobs.js";
import { logSettings } from "./sections/logging.js";
import { mailSettings, smtpSettings } from "./sections/mail.js";
import { eventBusSettings, natsSettings, relaySettings, workerSettings } from "./sections/messaging.js";
import { docsSettings, metricsSettings, tracingSettings } from "./sections/observability.js";
import {
  allowEmbeddedDatabaseSettings,
  allowMemoryAdaptersSettings,
  databaseSettings,
  persistenceSettings,
  pgliteSettings,
} from "./sections/persistence.js";
import { pluginsSettings } from "./sections/plugins.js";
import { rateLimitSettings, redisSettings } from "./sections/rate-limit.js";

export type { PermissionDefaults };
export { DEVELOPMENT_ADMIN_PASSWORD, DEVELOPMENT_JWT_SECRET };

/**
 * The foundation's keys, composed from the sections under sections/ (one file per concern): adding a
 * key is adding one line to its section. Each context brings its own section (ContextModule.settings),
 * added beside these by defineAppConfig.
 */
export const coreSettings = (permissions: PermissionDefaults) => ({
  appEnv: appEnvSetting,
  http: httpSettings,
  log: logSettings,
  api: apiSettings,
  features: featuresSettings,
  plugins: pluginsSettings,
  persistence: persistenceSettings,
  database: databaseSettings,
  pglite: pgliteSettings,
  eventBus: eventBusSettings,
  nats: natsSettings,
  relay: relaySettings,
  worker: workerSettings,
  jobs: jobsSettings,
  metrics: metricsSettings,
  docs: docsSettings,
  tracing: tracingSettings,
  mail: mailSettings,
  smtp: smtpSettings,
  auth: authSettings(permissions),
  argon2: argon2Settings,
  rateLimit: rateLimitSettings,
  redis: redisSettings,
  cache: cacheSettings,
  allowMemoryAdapters: allowMemoryAdaptersSettings,
  allowEmbeddedDatabase: allowEmbeddedDatabaseSettings,
});

export type CoreSettings = ReturnType<typeof coreSettings>;

/** The configuration's type as the foundation sees it; a context reads its own section with its settings' `of`. */
export type AppConfig = ConfigOf<CoreSettings>;

/**
 * Every key of the service: the foundation's and the given sections (each context's, by its key),
 * checked together. The rules below check what no single setting can: combinations, and what
 * production refuses.
 */
export function defineAppConfig(
  permissions: PermissionDefaults,
  sections: Readonly<Record<string, Section>> = {},
): ConfigDefinition<CoreSettings> {
  const core = coreSettings(permissions);
  const taken = Object.keys(sections).filter((key) => Object.hasOwn(core, key));
  if (taken.length > 0) throw new Error(`config sections ${taken.join(", ")} are the foundation's own`);
  return defineConfig({ ...core, ...sections } as CoreSettings, RULES);
}

const RULES: readonly Rule<CoreSettings>[] = [
  ({ appEnv, persistence, allowMemoryAdapters }) =>
    appEnv === "production" && persistence.driver === "memory" && allowMemoryAdapters !== true
      ? [
          {
            key: "PERSISTENCE__DRIVER",
            expected:
              "a durable driver in production (memory loses all data; ALLOW_MEMORY_ADAPTERS=true permits it)",
          },
        ]
      : [],
  ({ appEnv, persistence, allowEmbeddedDatabase }) =>
    appEnv === "production" && persistence.driver === "pglite" && allowEmbeddedDatabase !== true
      ? [
          {
            key: "PERSISTENCE__DRIVER",
            expected:
              "postgres in production (pglite serves one process; ALLOW_EMBEDDED_DATABASE=true permits it)",
          },
        ]
      : [],
  ({ appEnv, eventBus, allowMemoryAdapters }) =>
    appEnv === "production" && eventBus.driver === "memory" && allowMemoryAdapters !== true
      ? [
          {
            key: "EVENT_BUS__DRIVER",
            expected:
              "nats in production (the memory bus loses undelivered events; ALLOW_MEMORY_ADAPTERS=true permits it)",
          },
        ]
      : [],
  ({ appEnv, auth }) =>
    appEnv === "production" && auth.jwtSecret === DEVELOPMENT_JWT_SECRET
      ? [
          {
            key: "AUTH__JWT_SECRET",
            expected: "a secret of your own in production, not the development default",
          },
        ]
      : [],
  ({ auth }) =>
    auth.jwtAlgorithm === "HS256" && (auth.jwtSecret === undefined || Buffer.byteLength(auth.jwtSecret) < 32)
      ? [{ key: "AUTH__JWT_SECRET", expected: "at least 32 bytes when AUTH__JWT_ALGORITHM=HS256" }]
      : [],
  ({ auth }) =>
    auth.jwtAlgorithm !== undefined && auth.jwtAlgorithm !== "HS256" && auth.jwtSigningKey === undefined
      ? [
          {
            key: "AUTH__JWT_SIGNING_KEY",
            expected: `a private JWK when AUTH__JWT_ALGORITHM=${auth.jwtAlgorithm}`,
          },
        ]
      : [],
  ({ auth }) => {
    const undefinedRoles = (auth.defaultRoles ?? []).filter(
      (role) => auth.rolePermissions === undefined || !Object.hasOwn(auth.rolePermissions, role),
    );
    return undefinedRoles.length === 0
      ? []
      : [
          {
            key: "AUTH__DEFAULT_ROLES",
            expected: `roles that AUTH__ROLE_PERMISSIONS defines (${undefinedRoles.join(", ")} ${
              undefinedRoles.length === 1 ? "is" : "are"
            } not; a role with no permissions is written role=)`,
          },
        ];
  },
  ({ appEnv, auth }) =>
    appEnv === "production" && auth.bootstrapAdmin.password === DEVELOPMENT_ADMIN_PASSWORD
      ? [
          {
            key: "AUTH__BOOTSTRAP_ADMIN__PASSWORD",
            expected: "a password of your own in production, not the development default",
          },
        ]
      : [],
  ({ auth }) =>
    (auth.bootstrapAdmin.email === undefined) !== (auth.bootstrapAdmin.password === undefined)
      ? [
          {
            key:
              auth.bootstrapAdmin.email === undefined
                ? "AUTH__BOOTSTRAP_ADMIN__EMAIL"
                : "AUTH__BOOTSTRAP_ADMIN__PASSWORD",
            expected: "set together with the other bootstrap-admin setting, or both empty",
          },
        ]
      : [],
  ({ persistence, database }) =>
    persistence.driver === "postgres" && database.url === undefined
      ? [{ key: "DATABASE__URL", expected: "a postgres:// URL when PERSISTENCE__DRIVER=postgres" }]
      : [],
];
