import { boolean, integer, nonEmptyString, oneOf, optionalPostgresUrl } from "../codecs.js";
import { setting } from "../define-config.js";

// Persistence: the driver, PostgreSQL, embedded PGlite, and what production allows.

export const persistenceSettings = {
  driver: setting(oneOf(["memory", "pglite", "postgres"]), {
    default: { development: "pglite", test: "memory", production: "postgres" },
    live: false,
    description: "Where aggregates and the event log are stored: memory, embedded PGlite, or PostgreSQL.",
  }),
};

export const databaseSettings = {
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
};

export const pgliteSettings = {
  dataDir: setting(nonEmptyString, {
    default: ".data/pglite",
    live: false,
    description:
      "Directory of the embedded database (PERSISTENCE__DRIVER=pglite); memory:// keeps it in memory.",
  }),
};

export const allowMemoryAdaptersSettings = setting(boolean, {
  default: "false",
  live: false,
  description: "Allow in-memory adapters in production (data is lost on restart).",
});

export const allowEmbeddedDatabaseSettings = setting(boolean, {
  default: "false",
  live: false,
  description: "Allow the embedded PGlite database in production (one process, no replicas).",
});
