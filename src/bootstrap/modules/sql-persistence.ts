import type { Container } from "inversify";
import type { Dialect, Kysely } from "kysely";
import type { Database } from "../../adapters/persistence/kysely/database.js";
import { KyselyApiKeys } from "../../adapters/persistence/kysely/kysely-api-keys.js";
import { KyselyCredentials } from "../../adapters/persistence/kysely/kysely-credentials.js";
import { KyselyEventLog } from "../../adapters/persistence/kysely/kysely-event-log.js";
import { KyselyInbox } from "../../adapters/persistence/kysely/kysely-inbox.js";
import { KyselyProductReadModel } from "../../adapters/persistence/kysely/kysely-product-read-model.js";
import { KyselyProductRepository } from "../../adapters/persistence/kysely/kysely-product-repository.js";
import { KyselyRefreshTokens } from "../../adapters/persistence/kysely/kysely-refresh-tokens.js";
import { KyselyRelayCheckpoints } from "../../adapters/persistence/kysely/kysely-relay-checkpoints.js";
import { KyselyStockMovements } from "../../adapters/persistence/kysely/kysely-stock-movements.js";
import { KyselyUnitOfWork } from "../../adapters/persistence/kysely/kysely-unit-of-work.js";
import { KyselyUserReadModel } from "../../adapters/persistence/kysely/kysely-user-read-model.js";
import { KyselyUserRepository } from "../../adapters/persistence/kysely/kysely-user-repository.js";
import { Migrations } from "../../adapters/persistence/kysely/migrations.js";
import { StockHistoryRebuild } from "../../adapters/persistence/kysely/stock-history-rebuild.js";
import { TransactionScope } from "../../adapters/persistence/kysely/transaction-scope.js";
import type { KeelTracing } from "../../adapters/tracing/keel-tracing.js";
import { tracedDialect } from "../../adapters/tracing/traced-dialect.js";
import { ApiKeys } from "../../ports/api-keys.js";
import { Credentials } from "../../ports/credentials.js";
import { EventLog } from "../../ports/event-log.js";
import { HealthCheck } from "../../ports/health-check.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Inbox } from "../../ports/inbox.js";
import { Logger } from "../../ports/logger.js";
import { ProductReadModel } from "../../ports/product-read-model.js";
import { ProductRepository } from "../../ports/product-repository.js";
import { ReadModelRebuilds } from "../../ports/read-model-rebuild.js";
import { RefreshTokens } from "../../ports/refresh-tokens.js";
import { RelayCheckpoints } from "../../ports/relay-state.js";
import { StockMovements } from "../../ports/stock-movements.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { UserReadModel } from "../../ports/user-read-model.js";
import { UserRepository } from "../../ports/user-repository.js";
import type { AppConfig } from "../config/index.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";

/**
 * The ports every SQL driver serves the same way, once Tokens.Database (and Tokens.ReadDatabase)
 * are bound to a Kysely instance: PostgreSQL and PGlite differ only in how that is opened.
 */
export function bindSqlPorts(container: Container, config: AppConfig): void {
  container
    .bind(Tokens.TransactionScope)
    .toResolvedValue((db: Kysely<Database>) => new TransactionScope(db), [Tokens.Database]);
  container
    .bind(Tokens.Migrations)
    .toResolvedValue((db: Kysely<Database>) => new Migrations(db), [Tokens.Database]);
  container
    .bind(UnitOfWork)
    .toResolvedValue((scope: TransactionScope) => new KyselyUnitOfWork(scope), [Tokens.TransactionScope]);
  container
    .bind(EventLog)
    .toResolvedValue((scope: TransactionScope) => new KyselyEventLog(scope), [Tokens.TransactionScope]);
  container
    .bind(ProductRepository)
    .toResolvedValue(
      (scope: TransactionScope, ids: IdGenerator) => new KyselyProductRepository(scope, ids),
      [Tokens.TransactionScope, IdGenerator],
    );
  container
    .bind(ProductReadModel)
    .toResolvedValue((db: Kysely<Database>) => new KyselyProductReadModel(db), [Tokens.ReadDatabase]);
  container
    .bind(UserRepository)
    .toResolvedValue(
      (scope: TransactionScope, ids: IdGenerator) => new KyselyUserRepository(scope, ids),
      [Tokens.TransactionScope, IdGenerator],
    );
  container
    .bind(UserReadModel)
    .toResolvedValue((db: Kysely<Database>) => new KyselyUserReadModel(db), [Tokens.ReadDatabase]);
  container
    .bind(Credentials)
    .toResolvedValue((scope: TransactionScope) => new KyselyCredentials(scope), [Tokens.TransactionScope]);
  container
    .bind(RefreshTokens)
    .toResolvedValue((scope: TransactionScope) => new KyselyRefreshTokens(scope), [Tokens.TransactionScope]);
  container
    .bind(ApiKeys)
    .toResolvedValue((scope: TransactionScope) => new KyselyApiKeys(scope), [Tokens.TransactionScope]);

  container
    .bind(Inbox)
    .toResolvedValue((scope: TransactionScope) => new KyselyInbox(scope), [Tokens.TransactionScope]);
  container
    .bind(StockMovements)
    .toResolvedValue((scope: TransactionScope) => new KyselyStockMovements(scope), [Tokens.TransactionScope]);
  container
    .bind(ReadModelRebuilds)
    .toResolvedValue((scope: TransactionScope) => new StockHistoryRebuild(scope), [Tokens.TransactionScope]);
  container
    .bind(RelayCheckpoints)
    .toResolvedValue((db: Kysely<Database>) => new KyselyRelayCheckpoints(db), [Tokens.Database]);

  container.bind(HealthCheck).toResolvedValue(
    (db: Kysely<Database>): HealthCheck => ({
      name: "database",
      required: true,
      check: async () => {
        await db.selectNoFrom((eb) => eb.lit(1).as("ok")).execute();
      },
    }),
    [Tokens.Database],
  );
  container.bind(HealthCheck).toResolvedValue(
    (migrations: Migrations): HealthCheck => ({
      name: "migrations",
      required: true,
      check: async () => {
        const pending = await migrations.pending();
        if (pending.length > 0)
          throw new Error(`${pending.length} pending: ${pending.join(", ")}; run keel migrate up`);
      },
    }),
    [Tokens.Migrations],
  );

  container.bind(Tokens.Components).toResolvedValue(
    (db: Kysely<Database>, read: Kysely<Database>, migrations: Migrations, logger: Logger): Component => ({
      // Named for the operator: a failed start reads "PostgreSQL unavailable: <the driver's words>".
      name: config.persistence.driver === "postgres" ? "PostgreSQL" : "PGlite",
      // Opening the database here (PGlite initialises on first use) makes a wrong URL or a dead
      // server fail start-up with its own error, instead of the first request or probe.
      start: async () => {
        await db.selectNoFrom((eb) => eb.lit(1).as("ok")).execute();
        if (read !== db) await read.selectNoFrom((eb) => eb.lit(1).as("ok")).execute();
        if (!config.database.migrateOnStart) return;
        for (const line of await migrations.up()) logger.info({ migration: line }, "migrated");
      },
      stop: async () => {
        if (read !== db) await read.destroy();
        await db.destroy();
      },
    }),
    [Tokens.Database, Tokens.ReadDatabase, Tokens.Migrations, Logger],
  );
}

/** The dialect with SQL spans when tracing is on, as it is otherwise. */
export function withSqlSpans(dialect: Dialect, tracing: KeelTracing | undefined): Dialect {
  return tracing === undefined ? dialect : tracedDialect(dialect, tracing.tracer);
}
