import { type Dialect, Kysely, PostgresDialect } from "kysely";
import type pgTypes from "pg";
import { loadWhenUsed } from "../../load-when-used.js";
import type { Database } from "./database.js";
import { GuardedPool } from "./guarded-pool.js";
import { type ConnectionTimeouts, connectionOptions } from "./postgres-session.js";

// Only PostgreSQL needs the driver: in-memory and PGlite processes never load it.
const pg = loadWhenUsed<typeof import("pg")>("pg");

export interface PostgresSettings extends ConnectionTimeouts {
  readonly url: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
}

/**
 * A Kysely over a pg pool. Every wait is bounded: for a connection, pooled or new, by the connect
 * timeout; for an answer, by the statement timeout on the server and the query timeout on the client
 * (which alone ends a query the server never sees, as in a partition). Connection failures reach
 * callers as DependencyUnavailable (see GuardedPool).
 */
export function postgresDatabase(
  settings: PostgresSettings,
  onIdleError: (error: Error) => void,
  /** Given the pool once made, for gauges that read its counts. */
  onPool: (pool: pgTypes.Pool) => void = () => {},
  /** Wraps the dialect (SQL spans, when tracing). */
  decorate: (dialect: Dialect) => Dialect = (dialect) => dialect,
): Kysely<Database> {
  const pool = new (pg().Pool)({
    ...connectionOptions(settings.url, "keel", settings),
    max: settings.poolSize,
    statement_timeout: settings.statementTimeoutMs === 0 ? undefined : settings.statementTimeoutMs,
  });
  // An idle connection that breaks (server restart, network) must not crash the process: the pool
  // drops it and the next query opens a new one.
  pool.on("error", onIdleError);
  onPool(pool);
  return new Kysely<Database>({ dialect: decorate(new PostgresDialect({ pool: new GuardedPool(pool) })) });
}
