import type * as t from "io-ts";
import { ALL_PERMISSIONS } from "../../application/shared/permissions.js";
import type { LogLevel } from "../../ports/logger.js";
import {
  backoffSchedule,
  boolean,
  emailAddress,
  httpUrl,
  integer,
  natsUrl,
  nonEmptyString,
  oneOf,
  optionalEmailAddress,
  optionalIsoDate,
  optionalJson,
  optionalPostgresUrl,
  optionalText,
  origins,
  ratio,
  redisUrl,
  roleNames,
  rolePermissions,
} from "./codecs.js";
import { appEnvSetting, defineConfig, family, setting } from "./define-config.js";

/**
 * Development defaults for signing tokens and for the first admin: marked as such in their value, so they
 * are recognisable anywhere, and refused by the production rules below.
 */
export const DEVELOPMENT_JWT_SECRET = "development-only-jwt-secret-do-not-use-in-production";
export const DEVELOPMENT_ADMIN_PASSWORD = "development-only-admin-password";

const LOG_LEVELS = [
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "silent",
] as const satisfies readonly LogLevel[];

/** Every key of keel's configuration: adding a key is adding one line here. */
export const appConfig = defineConfig(
  {
    appEnv: appEnvSetting,
    http: {
      host: setting(nonEmptyString, {
        default: "0.0.0.0",
        live: false,
        description: "Interface the HTTP server listens on.",
      }),
      port: setting(integer(0, 65535), {
        default: "3000",
        live: false,
        description: "HTTP port; 0 picks a free one (tests).",
      }),
      bodyLimitBytes: setting(integer(1, 104857600), {
        default: "1048576",
        live: false,
        description: "Largest request body accepted, in bytes.",
      }),
      shutdownTimeoutMs: setting(integer(0, 600000), {
        default: "10000",
        live: false,
        description: "How long a graceful shutdown waits for in-flight requests, in ms.",
      }),
      drainDelayMs: setting(integer(0, 600000), {
        default: "0",
        live: false,
        description:
          "On shutdown, how long readiness answers 503 before the server stops accepting, in ms; meanwhile every response says Connection: close. Set it above the load balancer's probe interval.",
      }),
      trustProxy: setting(boolean, {
        default: "false",
        live: false,
        description: "Trust X-Forwarded-* headers (only behind a proxy that sets them).",
      }),
      proxyHops: setting(integer(1, 10), {
        default: "1",
        live: false,
        description:
          "Proxies in front of keel that append to X-Forwarded-For; the client is that many entries from the right.",
      }),
      cors: {
        origins: setting(origins, {
          default: { development: "http://localhost:3000,http://localhost:5173", test: "", production: "" },
          live: true,
          description: "Origins allowed by CORS; empty allows none.",
        }),
      },
    },
    log: {
      level: setting(oneOf(LOG_LEVELS), {
        default: { development: "info", test: "silent", production: "info" },
        live: true,
        description: "Lowest log level written.",
      }),
      pretty: setting(boolean, {
        default: { development: "true", test: "false", production: "false" },
        live: false,
        description: "Human-readable log lines instead of JSON.",
      }),
      file: setting(optionalText, {
        default: "",
        live: false,
        description:
          "Also write JSON log lines to this file, rotated by size (a worker thread writes it); empty for stdout only.",
      }),
      fileMaxBytes: setting(integer(1024, 10737418240), {
        default: "104857600",
        live: false,
        description: "Size at which LOG__FILE is rotated, in bytes.",
      }),
      fileKeep: setting(integer(1, 1000), {
        default: "10",
        live: false,
        description: "Rotated log files kept besides the current one; older ones are deleted.",
      }),
    },
    api: {
      defaultVersion: setting(oneOf(["v1", "v2"]), {
        default: "v1",
        live: false,
        description: "API version served at /api/... when no X-API-Version header is sent.",
      }),
      v1: {
        deprecated: setting(boolean, {
          default: "false",
          live: true,
          description: "Mark v1 responses deprecated (Deprecation header).",
        }),
        sunset: setting(optionalIsoDate, {
          default: "",
          live: true,
          description: "Date v1 goes away (Sunset header); empty for none.",
        }),
      },
    },
    features: family(boolean, {
      live: true,
      description: "Feature flag, e.g. FEATURES__NEW_CHECKOUT=true is features.newCheckout.",
    }),
    persistence: {
      driver: setting(oneOf(["memory", "pglite", "postgres"]), {
        default: { development: "pglite", test: "memory", production: "postgres" },
        live: false,
        description: "Where aggregates and the event log are stored: memory, embedded PGlite, or PostgreSQL.",
      }),
    },
    database: {
      url: setting(optionalPostgresUrl, {
        default: {
          development: "postgres://postgres@127.0.0.1:5432/test",
          test: "postgres://postgres@127.0.0.1:5432/test",
          production: "",
        },
        live: false,
        secret: true,
        description: "PostgreSQL connection URL (PERSISTENCE__DRIVER=postgres).",
      }),
      readUrl: setting(optionalPostgresUrl, {
        default: "",
        live: false,
        secret: true,
        description: "Read replica for the query side; empty reads from DATABASE__URL.",
      }),
      poolSize: setting(integer(1, 1000), {
        default: "10",
        live: false,
        description: "Connections per pool (one pool for writes, one for the replica when set).",
      }),
      connectTimeoutMs: setting(integer(100, 600000), {
        default: "5000",
        live: false,
        description: "How long to wait for a connection, in ms.",
      }),
      statementTimeoutMs: setting(integer(0, 3600000), {
        default: "15000",
        live: false,
        description: "Server-side limit per statement, in ms; 0 for none.",
      }),
      queryTimeoutMs: setting(integer(100, 3600000), {
        default: "16000",
        live: false,
        description:
          "Client-side limit per query, in ms: a query the server cannot answer (a partition) fails after this; keep it above the statement timeout.",
      }),
      migrateOnStart: setting(boolean, {
        default: { development: "true", test: "true", production: "false" },
        live: false,
        description: "Apply pending migrations at start-up; otherwise readiness fails while any are pending.",
      }),
    },
    pglite: {
      dataDir: setting(nonEmptyString, {
        default: ".data/pglite",
        live: false,
        description:
          "Directory of the embedded database (PERSISTENCE__DRIVER=pglite); memory:// keeps it in memory.",
      }),
    },
    eventBus: {
      driver: setting(oneOf(["memory", "nats"]), {
        default: { development: "memory", test: "memory", production: "nats" },
        live: false,
        description:
          "Where the relay publishes events and subscribers consume them: in process, or NATS JetStream.",
      }),
      stream: setting(nonEmptyString, {
        default: "keel",
        live: false,
        description: "JetStream stream name; subjects are <stream>.<context>.<event-type>.",
      }),
      duplicateWindowMs: setting(integer(1000, 86400000), {
        default: "120000",
        live: false,
        description: "How long the bus remembers event ids to drop re-published duplicates, in ms.",
      }),
      maxDeliver: setting(integer(1, 100), {
        default: "5",
        live: false,
        description: "Deliveries of one event to a subscriber before it goes to the dead letters.",
      }),
      ackWaitMs: setting(integer(100, 3600000), {
        default: "5000",
        live: false,
        description:
          "How long a delivery may go unacknowledged before the bus redelivers it, in ms; a running handler extends it (in-progress acks), so this bounds only how long a crashed worker's delivery waits.",
      }),
      backoffMs: setting(backoffSchedule, {
        default: "100,1000,5000",
        live: false,
        description: "Delays before each redelivery after a failure, in ms (the last one repeats).",
      }),
    },
    nats: {
      url: setting(natsUrl, {
        default: "nats://127.0.0.1:4222",
        live: false,
        description: "NATS server (EVENT_BUS__DRIVER=nats).",
      }),
    },
    relay: {
      batchSize: setting(integer(1, 10000), {
        default: "200",
        live: false,
        description: "Events the relay reads and publishes per round.",
      }),
      pollMs: setting(integer(10, 60000), {
        default: "500",
        live: false,
        description: "Longest wait between rounds when no append signal arrives, in ms.",
      }),
      maxLagS: setting(integer(1, 86400), {
        default: "60",
        live: false,
        description:
          "Readiness reports relay-lag down (reported, not required) while the oldest unpublished event is older than this, in seconds.",
      }),
    },
    worker: {
      inProcess: setting(boolean, {
        default: { development: "true", test: "false", production: "false" },
        live: false,
        description: "Run the relay and subscribers inside keel serve (one process for development).",
      }),
      healthPort: setting(integer(0, 65535), {
        default: "3001",
        live: false,
        description:
          "Port of keel worker's /health/live and /health/ready (on HTTP__HOST); 0 picks a free one.",
      }),
    },
    metrics: {
      enabled: setting(boolean, {
        default: "true",
        live: false,
        description:
          "Serve Prometheus metrics at /metrics (on the API port, and on the worker's health port); false answers 404.",
      }),
      bearerToken: setting(optionalText, {
        default: "",
        live: false,
        secret: true,
        description:
          "When set, /metrics requires Authorization: Bearer <token> (401 otherwise); empty leaves it open.",
      }),
    },
    docs: {
      enabled: setting(boolean, {
        default: { development: "true", test: "true", production: "false" },
        live: false,
        description:
          "Serve the OpenAPI documents (/openapi/v1.json, /openapi/v2.json) and Swagger UI (/docs); false answers 404.",
      }),
    },
    tracing: {
      enabled: setting(boolean, {
        default: { development: "false", test: "false", production: "true" },
        live: false,
        description:
          "Record OpenTelemetry traces of requests, commands, queries, SQL, relay and subscribers.",
      }),
      exporter: setting(oneOf(["otlp", "console", "none"]), {
        default: { development: "console", test: "none", production: "otlp" },
        live: false,
        description:
          "Where spans go: an OTLP/HTTP collector, JSON lines on stdout, or nowhere (sampled, not sent).",
      }),
      otlpEndpoint: setting(httpUrl, {
        default: "http://127.0.0.1:4318/v1/traces",
        live: false,
        description: "OTLP/HTTP traces endpoint of the collector (its /v1/traces URL).",
      }),
      sampleRatio: setting(ratio, {
        default: { development: "1", test: "1", production: "0.1" },
        live: false,
        description:
          "Share of new traces recorded; a request that arrives with a sampled traceparent is always recorded (parent-based).",
      }),
      serviceName: setting(nonEmptyString, {
        default: "keel",
        live: false,
        description: "service.name of every span.",
      }),
    },
    mail: {
      driver: setting(oneOf(["recording", "log", "smtp"]), {
        default: { development: "log", test: "recording", production: "smtp" },
        live: false,
        description: "How e-mail leaves: kept in memory (tests), written to the log, or sent over SMTP.",
      }),
      from: setting(emailAddress, {
        default: "keel@localhost",
        live: false,
        description: "Sender address of keel's e-mails.",
      }),
    },
    smtp: {
      host: setting(nonEmptyString, { default: "127.0.0.1", live: false, description: "SMTP server host." }),
      port: setting(integer(1, 65535), { default: "587", live: false, description: "SMTP server port." }),
      secure: setting(boolean, {
        default: "false",
        live: false,
        description: "Connect with TLS from the start (port 465); otherwise STARTTLS when offered.",
      }),
      user: setting(optionalText, { default: "", live: false, description: "SMTP user; empty for none." }),
      password: setting(optionalText, {
        default: "",
        live: false,
        secret: true,
        description: "SMTP password; empty for none.",
      }),
    },
    products: {
      lowStockThreshold: setting(integer(0, 1000000), {
        default: "5",
        live: false,
        description: "A low-stock alert is e-mailed when a product's available stock falls below this.",
      }),
      lowStockAlertTo: setting(emailAddress, {
        default: "stock@localhost",
        live: false,
        description: "Who receives low-stock alerts.",
      }),
    },
    auth: {
      issuer: setting(nonEmptyString, {
        default: "keel",
        live: false,
        description: "The iss claim of access tokens keel issues and accepts.",
      }),
      audience: setting(nonEmptyString, {
        default: "keel-api",
        live: false,
        description: "The aud claim of access tokens keel issues and accepts.",
      }),
      jwtAlgorithm: setting(oneOf(["HS256", "EdDSA", "RS256"]), {
        default: "HS256",
        live: false,
        description:
          "Access-token signature: HS256 with AUTH__JWT_SECRET, or EdDSA/RS256 with the key settings.",
      }),
      jwtSecret: setting(optionalText, {
        default: { development: DEVELOPMENT_JWT_SECRET, test: DEVELOPMENT_JWT_SECRET, production: "" },
        live: false,
        secret: true,
        description:
          "HS256 signing secret, at least 32 bytes; the development default is refused in production.",
      }),
      jwtSigningKey: setting(optionalJson, {
        default: "",
        live: false,
        secret: true,
        description: 'EdDSA/RS256: the private JWK new tokens are signed with, as JSON with a "kid".',
      }),
      jwtVerificationKeys: setting(optionalJson, {
        default: "",
        live: false,
        description:
          "EdDSA/RS256: JSON array of public JWKs (each with kid) accepted, the signing key's included; served as the JWKS.",
      }),
      accessTokenTtlS: setting(integer(60, 86400), {
        default: "900",
        live: false,
        description: "Access-token lifetime, in seconds.",
      }),
      refreshTokenTtlS: setting(integer(300, 31536000), {
        default: "1209600",
        live: false,
        description: "Refresh-token lifetime, in seconds; each use issues a new one with a fresh lifetime.",
      }),
      clockToleranceS: setting(integer(0, 300), {
        default: "30",
        live: false,
        description: "Clock skew tolerated when checking token times, in seconds.",
      }),
      passwordMinLength: setting(integer(8, 128), {
        default: "12",
        live: true,
        description: "Shortest password accepted at registration and on change.",
      }),
      rolePermissions: setting(rolePermissions(ALL_PERMISSIONS), {
        default:
          "admin=product:write user:read:any user:write:any user:manage; catalog-manager=product:write",
        live: true,
        description: "What each role may do: role=permission ...; roles without an entry grant nothing.",
      }),
      defaultRoles: setting(roleNames, {
        default: "",
        live: true,
        description:
          "Roles a self-registered account gets, comma-separated; each must be a role of AUTH__ROLE_PERMISSIONS; empty for none.",
      }),
      bootstrapAdmin: {
        email: setting(optionalEmailAddress, {
          default: { development: "admin@keel.local", test: "admin@keel.local", production: "" },
          live: false,
          description: "Creates this admin at start-up when no account has the address; empty for none.",
        }),
        password: setting(optionalText, {
          default: {
            development: DEVELOPMENT_ADMIN_PASSWORD,
            test: DEVELOPMENT_ADMIN_PASSWORD,
            production: "",
          },
          live: false,
          secret: true,
          description: "Password of the bootstrap admin; the development default is refused in production.",
        }),
      },
    },
    argon2: {
      memoryKib: setting(integer(19456, 4194304), {
        default: "19456",
        live: false,
        description:
          "Argon2id memory per hash, in KiB (OWASP floor: 19456); hashes made otherwise are redone at login.",
      }),
      timeCost: setting(integer(2, 100), {
        default: "2",
        live: false,
        description: "Argon2id iterations (OWASP floor: 2).",
      }),
      parallelism: setting(integer(1, 16), {
        default: "1",
        live: false,
        description: "Argon2id lanes.",
      }),
    },
    rateLimit: {
      enabled: setting(boolean, {
        default: "true",
        live: true,
        description: "Apply the rate limits below.",
      }),
      store: setting(oneOf(["memory", "redis"]), {
        default: { development: "memory", test: "memory", production: "redis" },
        live: false,
        description: "Where counters live: per process, or in Redis shared by every instance.",
      }),
      onStoreFailure: setting(oneOf(["open", "closed"]), {
        default: "open",
        live: true,
        description:
          "When Redis is unreachable: open falls back to per-process counters, closed refuses with 503.",
      }),
      ip: {
        points: setting(integer(1, 1000000), {
          default: "600",
          live: true,
          description: "Requests per client IP per window, across the API.",
        }),
        windowS: setting(integer(1, 86400), {
          default: "60",
          live: true,
          description: "Window of the IP limit, in seconds.",
        }),
      },
      principal: {
        points: setting(integer(1, 1000000), {
          default: "1200",
          live: true,
          description: "Requests per signed-in user or API key per window.",
        }),
        windowS: setting(integer(1, 86400), {
          default: "60",
          live: true,
          description: "Window of the per-principal limit, in seconds.",
        }),
      },
      expensive: {
        points: setting(integer(1, 1000000), {
          default: "20",
          live: true,
          description:
            "Requests per client address per window to routes that hash a password (registration, password change).",
        }),
        windowS: setting(integer(1, 86400), {
          default: "900",
          live: true,
          description: "Window of the limit on password-hashing routes, in seconds.",
        }),
      },
      login: {
        usernamePoints: setting(integer(1, 10000), {
          default: "5",
          live: true,
          description: "Failed password logins per username per window before 429 (brute force).",
        }),
        ipPoints: setting(integer(1, 100000), {
          default: "50",
          live: true,
          description: "Failed password logins per client IP per window before 429.",
        }),
        windowS: setting(integer(1, 86400), {
          default: "900",
          live: true,
          description: "Window of the login limits, in seconds.",
        }),
      },
    },
    redis: {
      url: setting(redisUrl, {
        default: "redis://127.0.0.1:6379",
        live: false,
        secret: true,
        description: "Redis server (RATE_LIMIT__STORE=redis).",
      }),
      commandTimeoutMs: setting(integer(50, 60000), {
        default: "1000",
        live: false,
        description:
          "How long one Redis command may wait for its reply, in ms; one that times out opens the circuit breaker.",
      }),
      probeMs: setting(integer(100, 60000), {
        default: "1000",
        live: false,
        description:
          "While the circuit breaker is open, how often a PING checks whether Redis answers again, in ms.",
      }),
    },
    allowMemoryAdapters: setting(boolean, {
      default: "false",
      live: false,
      description: "Allow in-memory adapters in production (data is lost on restart).",
    }),
    allowEmbeddedDatabase: setting(boolean, {
      default: "false",
      live: false,
      description: "Allow the embedded PGlite database in production (one process, no replicas).",
    }),
  },
  [
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
      auth.jwtAlgorithm === "HS256" &&
      (auth.jwtSecret === undefined || Buffer.byteLength(auth.jwtSecret) < 32)
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
  ],
);

export type AppConfig = t.TypeOf<typeof appConfig.codec>;
