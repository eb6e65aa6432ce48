import type { Container } from "inversify";
import type { Dialect, Kysely } from "kysely";
import { KyselyJobQueue } from "../../adapters/jobs/sql/kysely-job-queue.js";
import { KyselyJobSchedules } from "../../adapters/jobs/sql/kysely-job-schedules.js";
import { KyselyJobs } from "../../adapters/jobs/sql/kysely-jobs.js";
import type { Database } from "../../adapters/persistence/kysely/database.js";
import { KyselyEventLog } from "../../adapters/persistence/kysely/kysely-event-log.js";
import { KyselyIdempotencyKeys } from "../../adapters/persistence/kysely/kysely-idempotency-keys.js";
import { KyselyInbox } from "../../adapters/persistence/kysely/kysely-inbox.js";
import { KyselyRelayCheckpoints } from "../../adapters/persistence/kysely/kysely-relay-checkpoints.js";
import { KyselyUnitOfWork } from "../../adapters/persistence/kysely/kysely-unit-of-work.js";
import { type MigrationSources, Migrations } from "../../adapters/persistence/kysely/migrations.js";
import { TransactionScope } from "../../adapters/persistence/kysely/transaction-scope.js";
import type { KeelTracing } from "../../adapters/tracing/keel-tracing.js";
import { tracedDialect } from "../../adapters/tracing/traced-dialect.js";
import { Clock } from "../../ports/clock.js";
import { EventLog } from "../../ports/event-log.js";
import { HealthCheck } from "../../ports/health-check.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { IdempotencyKeys } from "../../ports/idempotency-keys.js";
import { Inbox } from "../../ports/inbox.js";
import { JobQueue } from "../../ports/job-queue.js";
import { JobSchedules } from "../../ports/job-schedules.js";
import { Jobs } from "../../ports/jobs.js";
import { Logger } from "../../ports/logger.js";
import { RelayCheckpoints } from "../../ports/relay-state.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import type { AppConfig } from "../config/index.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";
import { bindAdapter } from "./handler-registration.js";

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
    .toResolvedValue(
      (db: Kysely<Database>, sources: MigrationSources) => new Migrations(db, sources),
      [Tokens.Database, Tokens.MigrationSources],
    );
  container
    .bind(UnitOfWork)
    .toResolvedValue((scope: TransactionScope) => new KyselyUnitOfWork(scope), [Tokens.TransactionScope]);
  container
    .bind(EventLog)
    .toResolvedValue((scope: TransactionScope) => new KyselyEventLog(scope), [Tokens.TransactionScope]);

  container
    .bind(IdempotencyKeys)
    .toResolvedValue((db: Kysely<Database>) => new KyselyIdempotencyKeys(db), [Tokens.Database]);
  container
    .bind(Inbox)
    .toResolvedValue((scope: TransactionScope) => new KyselyInbox(scope), [Tokens.TransactionScope]);
  container
    .bind(RelayCheckpoints)
    .toResolvedValue((db: Kysely<Database>) => new KyselyRelayCheckpoints(db), [Tokens.Database]);

  // Inside a unit of work they join its transaction: a job exists exactly when the change that wanted it commits.
  bindAdapter(container, Jobs, KyselyJobs, [Tokens.TransactionScope, Clock, IdGenerator]);
  bindAdapter(container, JobQueue, KyselyJobQueue, [Tokens.TransactionScope, Clock]);
  bindAdapter(container, JobSchedules, KyselyJobSchedules, [Tokens.TransactionScope, Clock, IdGenerator]);

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
