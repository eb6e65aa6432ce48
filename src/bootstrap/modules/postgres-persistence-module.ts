import type { Kysely } from "kysely";
import type { KeelMetrics } from "../../adapters/metrics/keel-metrics.js";
import type { Database } from "../../adapters/persistence/kysely/database.js";
import { postgresDatabase } from "../../adapters/persistence/kysely/postgres-database.js";
import {
  PostgresLogWatcher,
  PostgresRelayLease,
} from "../../adapters/persistence/kysely/postgres-relay-state.js";
import type { KeelTracing } from "../../adapters/tracing/keel-tracing.js";
import { HealthCheck } from "../../ports/health-check.js";
import { Logger } from "../../ports/logger.js";
import { LogWatcher, RelayLease } from "../../ports/relay-state.js";
import { Tokens } from "../tokens.js";
import { ifBound } from "./all-of.js";
import type { Module } from "./module.js";
import { bindSqlPorts, withSqlSpans } from "./sql-persistence.js";

/** PERSISTENCE__DRIVER=postgres: Kysely over pg pools; the query side reads the replica when set. */
export const postgresPersistenceModule: Module = (container, config) => {
  const { url, readUrl, poolSize, connectTimeoutMs, statementTimeoutMs, queryTimeoutMs } = config.database;
  if (url === undefined) throw new Error("DATABASE__URL is required for PERSISTENCE__DRIVER=postgres");
  const timeouts = { connectTimeoutMs, queryTimeoutMs };
  const open = (
    connection: string,
    logger: Logger,
    metrics: KeelMetrics,
    pool: "write" | "read",
    tracing: KeelTracing | undefined,
  ) =>
    postgresDatabase(
      { url: connection, poolSize, statementTimeoutMs, ...timeouts },
      // One line per broken idle connection, with the driver's message: its stack says nothing.
      (error) =>
        logger.warn({ cause: error.message }, "an idle database connection failed; the pool dropped it"),
      (opened) => metrics.pools.set(pool, opened),
      (dialect) => withSqlSpans(dialect, tracing),
    );
  container
    .bind(Tokens.Database)
    .toResolvedValue(
      (logger: Logger, metrics: KeelMetrics, tracing: KeelTracing | undefined) =>
        open(url, logger, metrics, "write", tracing),
      [Logger, Tokens.Metrics, ifBound(Tokens.Tracing)],
    );
  if (readUrl === undefined) {
    container.bind(Tokens.ReadDatabase).toService(Tokens.Database);
  } else {
    container
      .bind(Tokens.ReadDatabase)
      .toResolvedValue(
        (logger: Logger, metrics: KeelMetrics, tracing: KeelTracing | undefined) =>
          open(readUrl, logger, metrics, "read", tracing),
        [Logger, Tokens.Metrics, ifBound(Tokens.Tracing)],
      );
    // Reported, not required: without the replica, reads answer 503 but writes go on, so taking the
    // instance out of the load balancer would refuse more than the outage does.
    container.bind(HealthCheck).toResolvedValue(
      (read: Kysely<Database>): HealthCheck => ({
        name: "read-replica",
        required: false,
        check: async () => {
          await read.selectNoFrom((eb) => eb.lit(1).as("ok")).execute();
        },
      }),
      [Tokens.ReadDatabase],
    );
  }
  container.bind(RelayLease).toResolvedValue(() => new PostgresRelayLease(url, timeouts));
  container.bind(LogWatcher).toResolvedValue(() => new PostgresLogWatcher(url, timeouts));
  // The job runner hears new jobs the same way (other drivers: it polls, JOBS__POLL_MS).
  container.bind(Tokens.JobWatcher).toResolvedValue(() => new PostgresLogWatcher(url, timeouts, "keel_jobs"));
  bindSqlPorts(container, config);
};
