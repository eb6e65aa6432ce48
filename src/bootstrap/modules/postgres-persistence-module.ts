import { postgresDatabase } from "../../adapters/persistence/kysely/postgres-database.js";
import {
  PostgresLogWatcher,
  PostgresRelayLease,
} from "../../adapters/persistence/kysely/postgres-relay-state.js";
import { Logger } from "../../ports/logger.js";
import { LogWatcher, RelayLease } from "../../ports/relay-state.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";
import { bindSqlPorts } from "./sql-persistence.js";

/** PERSISTENCE__DRIVER=postgres: Kysely over pg pools; the query side reads the replica when set. */
export const postgresPersistenceModule: Module = (container, config) => {
  const { url, readUrl, poolSize, connectTimeoutMs, statementTimeoutMs, queryTimeoutMs } = config.database;
  if (url === undefined) throw new Error("DATABASE__URL is required for PERSISTENCE__DRIVER=postgres");
  const timeouts = { connectTimeoutMs, queryTimeoutMs };
  const open = (connection: string, logger: Logger) =>
    // One line per broken idle connection, with the driver's message: its stack says nothing.
    postgresDatabase({ url: connection, poolSize, statementTimeoutMs, ...timeouts }, (error) =>
      logger.warn({ cause: error.message }, "an idle database connection failed; the pool dropped it"),
    );
  container.bind(Tokens.Database).toResolvedValue((logger: Logger) => open(url, logger), [Logger]);
  if (readUrl === undefined) {
    container.bind(Tokens.ReadDatabase).toService(Tokens.Database);
  } else {
    container.bind(Tokens.ReadDatabase).toResolvedValue((logger: Logger) => open(readUrl, logger), [Logger]);
  }
  container.bind(RelayLease).toResolvedValue(() => new PostgresRelayLease(url, timeouts));
  container.bind(LogWatcher).toResolvedValue(() => new PostgresLogWatcher(url, timeouts));
  bindSqlPorts(container, config);
};
