import { type Kysely, type Selectable, type SqlBool, sql } from "kysely";
import type { ClaimedJob } from "../../../ports/job-queue.js";
import type { Enqueued, JobRecord } from "../../../ports/jobs.js";
import type { Database } from "../../persistence/kysely/database.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import type { NewJob } from "../new-job.js";
import type { JobsTable } from "./job-tables.js";

/**
 * The predicate of the jobs_pending_dedupe index, word for word: PostgreSQL picks the index for
 * `on conflict` only from a predicate it can see implies the index's, which bound parameters hide.
 */
const PENDING = sql<SqlBool>`state in ('queued', 'running', 'failed')`;

/** Stores a new job, unless a pending one of its type holds its dedupe key: that one is returned. */
export async function insertJob(db: Kysely<Database>, id: string, now: Date, job: NewJob): Promise<Enqueued> {
  // Two tries: the pending job the insert ran into may finish before it is read back.
  for (let attempt = 0; attempt < 2; attempt++) {
    const inserted = await db
      .insertInto("jobs")
      .values({
        id,
        type: job.type,
        state: "queued",
        payload: JSON.stringify(job.payload),
        dedupe_key: job.dedupeKey,
        attempts: 0,
        max_attempts: job.retry.maxAttempts,
        backoff_ms: job.retry.backoffMs,
        max_backoff_ms: job.retry.maxBackoffMs,
        run_at: job.runAt,
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) => conflict.columns(["type", "dedupe_key"]).where(PENDING).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted !== undefined) return { job: jobRecord(inserted), deduplicated: false };
    const holder = await db
      .selectFrom("jobs")
      .selectAll()
      .where("type", "=", job.type)
      .where("dedupe_key", "=", job.dedupeKey)
      .where(PENDING)
      .executeTakeFirst();
    if (holder !== undefined) return { job: jobRecord(holder), deduplicated: true };
  }
  throw new Error(`job ${job.type}: its dedupe key ${job.dedupeKey} kept changing hands; enqueue again`);
}

export function jobRecord(row: Selectable<JobsTable>): JobRecord {
  return {
    id: row.id,
    type: row.type,
    state: row.state,
    payload: row.payload,
    dedupeKey: row.dedupe_key,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    leaseExpiresAt: row.lease_expires_at,
    claimedBy: row.claimed_by,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function claimOf(row: Selectable<JobsTable>): ClaimedJob {
  return {
    id: row.id,
    type: row.type,
    payload: row.payload,
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    // A running row always holds a lease (the jobs_lease check).
    leaseExpiresAt: row.lease_expires_at as Date,
  };
}

const JOBS = { correlationId: "jobs", principal: "system" } as const;

/**
 * Runs `work` in the caller's unit of work when there is one, else in a transaction of its own. Jobs
 * append no events, so the metadata is never recorded.
 */
export function inTransaction<T>(
  scope: TransactionScope,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return scope.run(JOBS, () => work(scope.current().trx));
}
