import { Kysely } from "kysely";
import type { Database } from "../../adapters/persistence/kysely/database.js";
import { openPglite } from "../../adapters/persistence/pglite/open-pglite.js";
import { PgliteDialect } from "../../adapters/persistence/pglite/pglite-dialect.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";
import { bindSqlPorts } from "./sql-persistence.js";

/** PERSISTENCE__DRIVER=pglite: embedded PostgreSQL in a directory; zero setup, one process. */
export const pglitePersistenceModule: Module = (container, config) => {
  container.bind(Tokens.Database).toResolvedValue(
    () =>
      new Kysely<Database>({
        dialect: new PgliteDialect({ pglite: () => openPglite({ dataDir: config.pglite.dataDir }) }),
      }),
  );
  container.bind(Tokens.ReadDatabase).toService(Tokens.Database);
  bindSqlPorts(container, config);
};
