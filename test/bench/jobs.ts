/**
 * Job throughput on PostgreSQL: keel's JobRunner over its SQL queue against a plain `SKIP LOCKED` loop
 * on the same `jobs` table, in the same run, at the same concurrency.
 *
 * One schema gets keel's foundation migrations (the `jobs` table and its indexes as deployed). Before
 * each target the table is emptied and refilled with K due no-op jobs (one INSERT, then ANALYZE); the
 * target drains them, timed from its start to its K-th completion, and the table must then hold K
 * succeeded rows that each ran exactly once. Targets, in this order:
 * - plain-1, keel-1: one claimer with `concurrency` jobs in flight;
 * - plain-2, keel-2: two claimers with a connection pool each (as two worker processes would), each
 *   with `concurrency` jobs in flight.
 * Both kinds refill the slots that free up (claiming up to the free count, waiting for a slot when the
 * queue gave fewer), so the ratio compares what each does per claim and per job, not the scheduling.
 * Everything runs in the harness's process: the two kinds pay for the same event loop.
 *
 * What the plain loop does per round and per job:
 *   claim: one autocommit statement, `UPDATE jobs SET state='running', lease, attempts+1 WHERE id IN
 *          (SELECT id ... WHERE state='queued' AND run_at<=now() ORDER BY run_at LIMIT n FOR UPDATE SKIP
 *          LOCKED) RETURNING id, payload` (the lease column only because the table's check requires it);
 *   per job: run the no-op, then `UPDATE jobs SET state='succeeded' WHERE id=$1`.
 * What keel's runner (src/application/jobs/job-runner.ts, src/adapters/jobs/sql/kysely-job-queue.ts)
 * does beyond that, which is what the ratio prices:
 *   claim: a transaction of its own (BEGIN, COMMIT) holding two statements — first burying running jobs
 *          whose lease ran out with no attempt left (an UPDATE ... WHERE id IN (SELECT ... FOR UPDATE
 *          SKIP LOCKED)), then the claim, which also takes failed jobs whose retry is due and running
 *          ones whose lease ran out, filters by the handler types it has, and records the claimer: four
 *          round trips where the loop makes one; built by Kysely, rows mapped and sorted in JS;
 *   per job: the payload decoded by its type's codec, an AbortController and a heartbeat timer that
 *          renews the lease every third of JOBS__LEASE_MS (never firing for a no-op job, but armed and
 *          cleared), the attempt timed, a debug log line (off here), the outcome counted; completion
 *          is an UPDATE that matches id, state and attempt (so a worker whose lease ran out cannot
 *          overwrite the next one's result), clearing the lease.
 * Since slots free up one at a time once the queue is draining, most claims take one or a few jobs:
 * the claim's transaction is paid nearly per job. The runner has no metrics observer here (keel's adds
 * a counter and a histogram per job) and no schedules to fire (none stored).
 *
 * After one unmeasured drain of each target (300 jobs), BENCH_JOBS_ROUNDS rounds (2) run every target,
 * every other round in reverse order; each ratio is the median of the rounds' ratios.
 *
 * Environment: BENCH_JOBS (2000), JOBS__CONCURRENCY (4, keel's default), JOBS__POLL_MS (1000) and
 * JOBS__LEASE_MS (30000) as keel reads them, DATABASE__POOL_SIZE (10) per claimer, BENCH_DATABASE_URL.
 * BENCH_ONLY takes the target names above.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Kysely } from "kysely";
import pg from "pg";
import { KyselyJobQueue } from "../../src/adapters/jobs/sql/kysely-job-queue.js";
import type { Database } from "../../src/adapters/persistence/kysely/database.js";
import { Migrations } from "../../src/adapters/persistence/kysely/migrations.js";
import { postgresDatabase } from "../../src/adapters/persistence/kysely/postgres-database.js";
import { TransactionScope } from "../../src/adapters/persistence/kysely/transaction-scope.js";
import { foundationMigrations } from "../../src/adapters/persistence/migrations/index.js";
import { SystemClock } from "../../src/adapters/system/system-clock.js";
import type { JobHandler } from "../../src/application/jobs/job-handler.js";
import { JobRunner } from "../../src/application/jobs/job-runner.js";
import type { JobQueue } from "../../src/ports/job-queue.js";
import { type JobType, NO_PAYLOAD } from "../../src/ports/jobs.js";
import type { Logger } from "../../src/ports/logger.js";
import { progress } from "./lib/http-targets.js";
import { round } from "./lib/measure.js";
import type { BenchParams } from "./lib/params.js";
import {
  assertPostgresReachable,
  BENCH_DATABASE_URL,
  type BenchSchema,
  createBenchSchema,
  redacted,
} from "./lib/postgres-schema.js";
import { table } from "./lib/report.js";
import type { Scenario, ScenarioOutcome } from "./lib/scenario.js";

const NOOP: JobType<Record<string, never>> = { name: "bench.noop", payload: NO_PAYLOAD };
/** Jobs each target drains once, unmeasured, before the rounds. */
const WARMUP_JOBS = 300;
/** A drain that takes longer than this fails the run (a claimer stuck, or a machine far too busy). */
const DRAIN_TIMEOUT_MS = 120_000;

interface Settings {
  readonly jobs: number;
  readonly rounds: number;
  readonly concurrency: number;
  readonly pollMs: number;
  readonly leaseMs: number;
  readonly poolSize: number;
}

interface Target {
  readonly name: string;
  readonly description: string;
  /** Drains the table; resolves when `jobs` jobs have completed. */
  drain(schema: BenchSchema, settings: Settings): Promise<void>;
}

interface TargetResult {
  readonly name: string;
  readonly description: string;
  readonly round: number;
  readonly jobs: number;
  readonly seconds: number;
  readonly jobsPerSec: number;
  /** Claims that returned at least one job: jobs / claims is the mean batch a claim took. */
  readonly claims: number;
  readonly jobsPerClaim: number;
  /** The harness process's CPU time (user + system) per job while the target drained: the claimers' own cost. */
  readonly cpuUsPerJob: number;
}

/** Claims that took jobs, counted by the target that ran last. */
let claims = 0;

const quiet: Logger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quiet,
  isLevelEnabled: () => false,
};

const TARGETS: readonly Target[] = [
  {
    name: "plain-1",
    description: "plain SKIP LOCKED loop, one claimer",
    drain: (schema, settings) => drainPlain(schema, settings, 1),
  },
  {
    name: "keel-1",
    description: "keel's JobRunner over KyselyJobQueue, one runner",
    drain: (schema, settings) => drainKeel(schema, settings, 1),
  },
  {
    name: "plain-2",
    description: "plain SKIP LOCKED loop, two claimers, a pool each",
    drain: (schema, settings) => drainPlain(schema, settings, 2),
  },
  {
    name: "keel-2",
    description: "keel's JobRunner, two runners, a pool each",
    drain: (schema, settings) => drainKeel(schema, settings, 2),
  },
];

export const jobs: Scenario = {
  name: "jobs",
  description:
    "Job throughput on PostgreSQL: keel's JobRunner vs a plain FOR UPDATE SKIP LOCKED loop on the same jobs table, no-op jobs",
  async run(params: BenchParams): Promise<ScenarioOutcome | undefined> {
    const only = params.onlyTargets;
    const picked = only === undefined ? TARGETS : TARGETS.filter((t) => only.includes(t.name));
    if (picked.length === 0) return undefined;
    await assertPostgresReachable(
      "the jobs scenario needs it: start it, point BENCH_DATABASE_URL at one, or leave the scenario out of BENCH_SCENARIOS",
    );
    const settings = readSettings();
    const schema = await createBenchSchema();
    progress(`jobs: schema ${schema.name} created`);
    const results: TargetResult[] = [];
    try {
      await migrate(schema);
      // Unmeasured: connections, JIT and the table's pages warm for every target alike.
      for (const target of picked) {
        await refill(schema, WARMUP_JOBS);
        progress(`jobs: ${target.name} warming up on ${WARMUP_JOBS} jobs`);
        await target.drain(schema, { ...settings, jobs: WARMUP_JOBS });
      }
      for (let r = 1; r <= settings.rounds; r += 1) {
        // Every other round in reverse order, so no target always runs first (or last) on a busy machine.
        const order = r % 2 === 1 ? picked : [...picked].reverse();
        for (const target of order) {
          await refill(schema, settings.jobs);
          progress(`jobs: round ${r}, ${target.name} draining ${settings.jobs} jobs`);
          claims = 0;
          const started = performance.now();
          const cpuBefore = process.cpuUsage();
          await target.drain(schema, settings);
          const cpu = process.cpuUsage(cpuBefore);
          const seconds = (performance.now() - started) / 1000;
          await assertAllRanOnce(schema, settings.jobs, target.name);
          const result = {
            name: target.name,
            description: target.description,
            round: r,
            jobs: settings.jobs,
            seconds: round(seconds, 3),
            jobsPerSec: round(settings.jobs / seconds, 1),
            claims,
            jobsPerClaim: round(settings.jobs / Math.max(1, claims), 2),
            cpuUsPerJob: round((cpu.user + cpu.system) / settings.jobs, 1),
          };
          progress(`jobs: round ${r}, ${target.name} ${result.jobsPerSec.toFixed(0)} jobs/s`);
          results.push(result);
        }
      }
    } finally {
      await schema.drop();
    }
    const byRound = Array.from({ length: settings.rounds }, (_, i) =>
      jobRatios(results.filter((r) => r.round === i + 1)),
    );
    const found = (byRound[0] ?? []).map(({ name }) => ({
      name,
      jobsPerSec: round(
        median(byRound.map((ratios) => ratios.find((x) => x.name === name)?.jobsPerSec ?? 0)),
        3,
      ),
      byRound: byRound.map((ratios) => ratios.find((x) => x.name === name)?.jobsPerSec ?? 0),
    }));
    printReport(results, found, settings);
    return {
      result: {
        settings,
        targets: results,
        ratios: found,
        postgres: { url: redacted(BENCH_DATABASE_URL) },
      },
    };
  },
};

function readSettings(): Settings {
  return {
    jobs: integer("BENCH_JOBS", 2000, 1),
    rounds: integer("BENCH_JOBS_ROUNDS", 2, 1),
    concurrency: integer("JOBS__CONCURRENCY", 4, 1),
    pollMs: integer("JOBS__POLL_MS", 1000, 50),
    leaseMs: integer("JOBS__LEASE_MS", 30_000, 1000),
    poolSize: integer("DATABASE__POOL_SIZE", 10, 1),
  };
}

function integer(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function keelDatabase(schema: BenchSchema, settings: Settings): Kysely<Database> {
  return postgresDatabase(
    {
      url: schema.url,
      poolSize: settings.poolSize,
      statementTimeoutMs: 30_000,
      connectTimeoutMs: 5_000,
      queryTimeoutMs: 30_000,
    },
    () => {},
  );
}

async function migrate(schema: BenchSchema): Promise<void> {
  const db = keelDatabase(schema, {
    jobs: 0,
    rounds: 0,
    concurrency: 1,
    pollMs: 1000,
    leaseMs: 1000,
    poolSize: 1,
  });
  try {
    await new Migrations(db, foundationMigrations).up();
  } finally {
    await db.destroy();
  }
}

/** K due jobs as keel's enqueue stores them (no dedupe key, default retry), in one statement. */
async function refill(schema: BenchSchema, count: number): Promise<void> {
  await withClient(schema.url, async (client) => {
    await client.query("delete from jobs");
    await client.query(
      `insert into jobs (id, type, state, payload, attempts, max_attempts, backoff_ms, max_backoff_ms,
                         run_at, created_at, updated_at)
       select gen_random_uuid(), $2, 'queued', '{}'::jsonb, 0, 5, 10000, 3600000,
              now() - interval '1 minute' + i * interval '1 microsecond', now(), now()
         from generate_series(1, $1::int) as i`,
      [count, NOOP.name],
    );
    await client.query("vacuum analyze jobs");
  });
}

async function assertAllRanOnce(schema: BenchSchema, count: number, target: string): Promise<void> {
  const { rows } = await withClient(schema.url, (client) =>
    client.query<{ succeeded: string; attempts: string; total: string }>(
      `select count(*) filter (where state = 'succeeded')::text as succeeded,
              coalesce(sum(attempts), 0)::text as attempts, count(*)::text as total from jobs`,
    ),
  );
  const row = rows[0];
  if (Number(row?.succeeded) !== count || Number(row?.attempts) !== count || Number(row?.total) !== count)
    throw new Error(
      `${target}: expected ${count} jobs succeeded once each, found ${row?.succeeded} succeeded, ` +
        `${row?.attempts} attempts, ${row?.total} rows`,
    );
}

// --- keel -------------------------------------------------------------------------------------------

async function drainKeel(schema: BenchSchema, settings: Settings, runners: number): Promise<void> {
  const clock = new SystemClock();
  const handler: JobHandler<unknown> = { job: NOOP as JobType<unknown>, handle: async () => {} };
  const databases = Array.from({ length: runners }, () => keelDatabase(schema, settings));
  const started = databases.map(
    (db, n) =>
      new JobRunner(counted(new KyselyJobQueue(new TransactionScope(db), clock)), [handler], clock, quiet, {
        concurrency: settings.concurrency,
        pollMs: settings.pollMs,
        leaseMs: settings.leaseMs,
        stopTimeoutMs: 10_000,
        worker: `bench-runner-${n + 1}`,
      }),
  );
  try {
    for (const runner of started) runner.start();
    const deadline = performance.now() + DRAIN_TIMEOUT_MS;
    const done = () => started.reduce((sum, r) => sum + r.stats().finished.succeeded, 0);
    while (done() < settings.jobs) {
      const failed = started.reduce(
        (sum, r) => sum + r.stats().finished.failed + r.stats().finished.dead + r.stats().finished.lost,
        0,
      );
      if (failed > 0) throw new Error(`keel-${runners}: ${failed} jobs did not succeed`);
      if (performance.now() > deadline)
        throw new Error(
          `keel-${runners}: ${done()} of ${settings.jobs} jobs done after ${DRAIN_TIMEOUT_MS} ms`,
        );
      await sleep(2);
    }
  } finally {
    await Promise.all(started.map((runner) => runner.stop()));
    await Promise.all(databases.map((db) => db.destroy()));
  }
}

/** The queue, counting the claims that took jobs. */
function counted(queue: JobQueue): JobQueue {
  return {
    claim: async (request) => {
      const taken = await queue.claim(request);
      if (taken.length > 0) claims += 1;
      return taken;
    },
    complete: (job) => queue.complete(job),
    fail: (job, failure) => queue.fail(job, failure),
    release: (job, runAt) => queue.release(job, runAt),
    extendLease: (job, leaseMs) => queue.extendLease(job, leaseMs),
  };
}

// --- The plain loop ---------------------------------------------------------------------------------

const PLAIN_CLAIM = `
  update jobs set state = 'running', attempts = attempts + 1,
                  lease_expires_at = now() + $2 * interval '1 millisecond', updated_at = now()
   where id in (select id from jobs
                 where state = 'queued' and run_at <= now()
                 order by run_at limit $1
                   for update skip locked)
  returning id, payload`;
const PLAIN_COMPLETE = `
  update jobs set state = 'succeeded', lease_expires_at = null, updated_at = now() where id = $1`;

async function drainPlain(schema: BenchSchema, settings: Settings, claimers: number): Promise<void> {
  const pools = Array.from(
    { length: claimers },
    () => new pg.Pool({ connectionString: schema.url, max: settings.poolSize }),
  );
  let completed = 0;
  const noop = async (_payload: unknown): Promise<void> => {};
  const claimer = async (pool: pg.Pool): Promise<void> => {
    const inFlight = new Set<Promise<void>>();
    const deadline = performance.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      if (performance.now() > deadline) throw new Error(`plain-${claimers}: drain timed out`);
      const free = settings.concurrency - inFlight.size;
      const { rows } =
        free > 0
          ? await pool.query<{ id: string; payload: unknown }>(PLAIN_CLAIM, [free, settings.leaseMs])
          : { rows: [] };
      if (rows.length > 0) claims += 1;
      for (const row of rows) {
        const job = (async () => {
          await noop(row.payload);
          await pool.query(PLAIN_COMPLETE, [row.id]);
          completed += 1;
        })();
        inFlight.add(job);
        void job.finally(() => inFlight.delete(job));
      }
      // Nothing left to claim and nothing running: this claimer is done (every job was due at the start).
      if (rows.length === 0 && inFlight.size === 0 && free > 0) return;
      // A full batch: claim again at once; otherwise wait for a slot to free up.
      if (rows.length < free || free === 0) await Promise.race(inFlight);
    }
  };
  try {
    await Promise.all(pools.map(claimer));
    if (completed !== settings.jobs)
      throw new Error(`plain-${claimers}: ${completed} completions for ${settings.jobs} jobs`);
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
  }
}

// --- Shared -----------------------------------------------------------------------------------------

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function jobRatios(results: readonly TargetResult[]): { name: string; jobsPerSec: number }[] {
  const pairs = [
    ["keel-1", "plain-1"],
    ["keel-2", "plain-2"],
    ["keel-2", "keel-1"],
    ["plain-2", "plain-1"],
  ] as const;
  const found: { name: string; jobsPerSec: number }[] = [];
  for (const [top, bottom] of pairs) {
    const a = results.find((r) => r.name === top);
    const b = results.find((r) => r.name === bottom);
    if (a !== undefined && b !== undefined)
      found.push({ name: `${top}/${bottom}`, jobsPerSec: round(a.jobsPerSec / b.jobsPerSec, 3) });
  }
  return found;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function printReport(
  results: readonly TargetResult[],
  found: readonly { name: string; jobsPerSec: number; byRound: readonly number[] }[],
  settings: Settings,
): void {
  const lines = [
    "",
    `Job throughput: ${settings.jobs} no-op jobs drained from one PostgreSQL jobs table, ` +
      `concurrency ${settings.concurrency} per claimer, pool ${settings.poolSize} per claimer`,
    "",
    table(
      ["round", "target", "jobs/s", "seconds", "jobs", "claims", "jobs/claim", "CPU µs/job"],
      results.map((r) => [
        String(r.round),
        r.name,
        r.jobsPerSec.toFixed(0),
        r.seconds.toFixed(2),
        String(r.jobs),
        String(r.claims),
        r.jobsPerClaim.toFixed(2),
        r.cpuUsPerJob.toFixed(0),
      ]),
    ),
    "",
  ];
  if (found.length > 0)
    lines.push(
      table(
        ["ratio", "jobs/s (median of rounds)", "by round"],
        found.map((r) => [
          r.name,
          `${(r.jobsPerSec * 100).toFixed(1)}%`,
          r.byRound.map((x) => `${(x * 100).toFixed(1)}%`).join(", "),
        ]),
      ),
      "(keel/plain: what keel's lease, attempt accounting, burying and heartbeat cost per job; see jobs.ts)",
      "",
    );
  process.stdout.write(`${lines.join("\n")}\n`);
}
