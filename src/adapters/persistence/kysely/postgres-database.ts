import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";

export interface PostgresSettings {
  readonly url: string;
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
}

/** A Kysely over a pg pool; the statement timeout is enforced by the server, per connection. */
export function postgresDatabase(
  settings: PostgresSettings,
  onIdleError: (error: Error) => void,
): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs === 0 ? undefined : settings.statementTimeoutMs,
    application_name: "keel",
  });
  // An idle connection that breaks (server restart, network) must not crash the process: the pool
  // drops it and the next query opens a new one.
  pool.on("error", onIdleError);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
