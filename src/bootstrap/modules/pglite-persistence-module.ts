import { Kysely } from "kysely";
import { InProcessRelayLease } from "../../adapters/memory/memory-relay-state.js";
import type { Database } from "../../adapters/persistence/kysely/database.js";
import { openPglite } from "../../adapters/persistence/pglite/open-pglite.js";
import { PgliteDialect } from "../../adapters/persistence/pglite/pglite-dialect.js";
import { PollingLogWatcher } from "../../adapters/persistence/polling-log-watcher.js";
import type { KeelTracing } from "../../adapters/tracing/keel-tracing.js";
import { LogWatcher, RelayLease } from "../../ports/relay-state.js";
import { Tokens } from "../tokens.js";
import { ifBound } from "./all-of.js";
import type { Module } from "./module.js";
import { bindSqlPorts, withSqlSpans } from "./sql-persistence.js";

/** PERSISTENCE__DRIVER=pglite: embedded PostgreSQL in a directory; zero setup, one process. */
export const pglitePersistenceModule: Module = (container, config) => {
  container.bind(Tokens.Database).toResolvedValue(
    (tracing: KeelTracing | undefined) =>
      new Kysely<Database>({
        dialect: withSqlSpans(
          new PgliteDialect({ pglite: () => openPglite({ dataDir: config.pglite.dataDir }) }),
          tracing,
        ),
      }),
    [ifBound(Tokens.Tracing)],
  );
  container.bind(Tokens.ReadDatabase).toService(Tokens.Database);
  // One process owns the data directory, so its relay is the only one.
  container.bind(RelayLease).toResolvedValue(() => new InProcessRelayLease());
  container.bind(LogWatcher).toResolvedValue(() => new PollingLogWatcher());
  bindSqlPorts(container, config);
};
