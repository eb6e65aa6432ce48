import { randomUUID } from "node:crypto";
import { Kysely } from "kysely";
import { MemoryJobQueue } from "../../../src/adapters/jobs/memory/memory-job-queue.js";
import { MemoryJobSchedules } from "../../../src/adapters/jobs/memory/memory-job-schedules.js";
import { MemoryJobs } from "../../../src/adapters/jobs/memory/memory-jobs.js";
import { KyselyJobQueue } from "../../../src/adapters/jobs/sql/kysely-job-queue.js";
import { KyselyJobSchedules } from "../../../src/adapters/jobs/sql/kysely-job-schedules.js";
import { KyselyJobs } from "../../../src/adapters/jobs/sql/kysely-jobs.js";
import { MemoryDatabase } from "../../../src/adapters/memory/memory-database.js";
import { MemoryUnitOfWork } from "../../../src/adapters/memory/memory-unit-of-work.js";
import type { Database } from "../../../src/adapters/persistence/kysely/database.js";
import { KyselyUnitOfWork } from "../../../src/adapters/persistence/kysely/kysely-unit-of-work.js";
import { Migrations } from "../../../src/adapters/persistence/kysely/migrations.js";
import { postgresDatabase } from "../../../src/adapters/persistence/kysely/postgres-database.js";
import { TransactionScope } from "../../../src/adapters/persistence/kysely/transaction-scope.js";
import { foundationMigrations } from "../../../src/adapters/persistence/migrations/index.js";
import { openPglite } from "../../../src/adapters/persistence/pglite/open-pglite.js";
import { PgliteDialect } from "../../../src/adapters/persistence/pglite/pglite-dialect.js";
import type { IdGenerator } from "../../../src/ports/id-generator.js";
import type { JobQueue } from "../../../src/ports/job-queue.js";
import type { JobSchedules } from "../../../src/ports/job-schedules.js";
import type { Jobs } from "../../../src/ports/jobs.js";
import type { UnitOfWork } from "../../../src/ports/unit-of-work.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { DRIVERS, type Driver, driverDecisions } from "../../support/persistence.js";
import { createTestSchema } from "../../support/postgres.js";
import { suite } from "../../support/uvu.js";

/** A worker's view of the store: its own connection pool on PostgreSQL. */
export interface JobWorker {
  readonly jobs: Jobs;
  readonly queue: JobQueue;
  readonly schedules: JobSchedules;
}

/** The jobs adapters of one driver over an empty store, on a clock the test moves. */
export interface JobStore extends JobWorker {
  readonly driver: Driver;
  readonly clock: FixedClock;
  readonly unitOfWork: UnitOfWork;
  /**
   * Another worker on the same store. On PostgreSQL it has a connection pool of its own, as a second
   * process would. PGlite is one session in one process and the memory store one process: there a
   * second worker shares the store, as two runners in one process do.
   */
  readonly otherWorker: JobWorker;
}

/** One driver's database, opened once per suite (PGlite takes seconds to start); `empty()` per spec. */
export interface JobBackend {
  empty(): Promise<JobStore>;
  close(): Promise<void>;
}

const ids: IdGenerator = { next: () => randomUUID() };
const START = new Date("2026-03-01T09:00:00.000Z");

export async function openJobBackend(driver: Driver): Promise<JobBackend> {
  if (driver === "memory") {
    return {
      empty: async () => {
        const clock = new FixedClock(START);
        const db = new MemoryDatabase(randomUUID);
        const worker = memoryWorker(db, clock);
        return { driver, clock, unitOfWork: new MemoryUnitOfWork(db), ...worker, otherWorker: worker };
      },
      close: async () => {},
    };
  }
  if (driver === "pglite") {
    const db = new Kysely<Database>({
      dialect: new PgliteDialect({ pglite: () => openPglite({ dataDir: "memory://" }) }),
    });
    await migrated(db, () => db.destroy());
    const scope = new TransactionScope(db);
    return {
      empty: async () => {
        await emptied(db);
        const clock = new FixedClock(START);
        const worker = sqlWorker(scope, clock);
        return { driver, clock, unitOfWork: new KyselyUnitOfWork(scope), ...worker, otherWorker: worker };
      },
      close: () => db.destroy(),
    };
  }
  const schema = await createTestSchema();
  const open = () =>
    postgresDatabase(
      {
        url: schema.url,
        poolSize: 4,
        statementTimeoutMs: 30_000,
        connectTimeoutMs: 5_000,
        queryTimeoutMs: 30_000,
      },
      () => {},
    );
  const first = open();
  const second = open();
  const close = async () => {
    await Promise.all([first.destroy(), second.destroy()]);
    await schema.drop();
  };
  await migrated(first, close);
  const scope = new TransactionScope(first);
  const otherScope = new TransactionScope(second);
  return {
    empty: async () => {
      await emptied(first);
      const clock = new FixedClock(START);
      return {
        driver,
        clock,
        unitOfWork: new KyselyUnitOfWork(scope),
        ...sqlWorker(scope, clock),
        otherWorker: sqlWorker(otherScope, clock),
      };
    },
    close,
  };
}

/** The foundation's migrations, the jobs tables among them; a failure closes what was opened and fails loudly. */
async function migrated(db: Kysely<Database>, close: () => Promise<void>): Promise<void> {
  try {
    await new Migrations(db, foundationMigrations).up();
  } catch (error) {
    await close();
    throw error;
  }
}

async function emptied(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom("jobs").execute();
  await db.deleteFrom("job_schedules").execute();
}

function memoryWorker(db: MemoryDatabase, clock: FixedClock): JobWorker {
  return {
    jobs: new MemoryJobs(db, clock, ids),
    queue: new MemoryJobQueue(db, clock),
    schedules: new MemoryJobSchedules(db, clock, ids),
  };
}

function sqlWorker(scope: TransactionScope, clock: FixedClock): JobWorker {
  return {
    jobs: new KyselyJobs(scope, clock, ids),
    queue: new KyselyJobQueue(scope, clock),
    schedules: new KyselyJobSchedules(scope, clock, ids),
  };
}

type Spec = (name: string, body: (store: JobStore) => Promise<void>) => void;

/**
 * One contract over every jobs adapter: memory, PGlite and PostgreSQL (when it answers; required
 * under CI=true, as for every contract). Each driver's database is opened once for the suite (a
 * schema of its own on PostgreSQL); each spec starts from an empty store and a clock of its own.
 */
export async function jobsContract(name: string, define: (it: Spec, driver: Driver) => void): Promise<void> {
  const decisions = await driverDecisions();
  for (const driver of DRIVERS) {
    const decision = decisions[driver];
    const s = suite<{ backend?: JobBackend }>(`${name} [${driver}]`);
    if (decision.run) {
      s.before(async (context) => {
        context.backend = await openJobBackend(driver);
      });
      s.after(async (context) => {
        await context.backend?.close();
      });
    } else {
      console.log(`  ${name} [${driver}] skipped: ${decision.reason}`);
    }
    define((title, body) => {
      const run = async (context: { backend?: JobBackend }) => {
        if (context.backend === undefined) throw new Error("the job store was not opened");
        await body(await context.backend.empty());
      };
      if (decision.run) s(title, run);
      else s.skip(title, run);
    }, driver);
    s.run();
  }
}
