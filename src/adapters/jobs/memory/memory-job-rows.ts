import {
  type Enqueued,
  type JobRecord,
  type JobState,
  type JsonValue,
  PENDING_STATES,
  type RetryPolicy,
} from "../../../ports/jobs.js";
import type { MemoryDatabase, TableDefinition } from "../../memory/memory-database.js";
import type { NewJob } from "../new-job.js";

/** A job as the memory store keeps it: its record plus its retry policy, like the SQL row. */
export interface JobRow extends JobRecord {
  readonly retry: RetryPolicy;
}

/** The CHECK constraints of the jobs table, by their SQL names. */
export const jobsTable: TableDefinition<JobRow> = {
  name: "jobs",
  checks: {
    jobs_attempts: (row) => row.attempts >= 0 && row.maxAttempts >= 1,
    jobs_lease: (row) => (row.state === "running") === (row.leaseExpiresAt !== null),
  },
};

/**
 * The memory store's stand-in for the unique index on (type, dedupe key) over pending jobs: one row
 * per key naming the job that took it last, read and written inside the caller's transaction. Locked
 * while a transaction enqueues under it, so a concurrent enqueue with the same key waits, then finds
 * the first job, as PostgreSQL's insert on the index does.
 */
export const dedupeKeysTable: TableDefinition<{ readonly jobId: string }> = { name: "job_dedupe_keys" };

export function isPending(state: JobState): boolean {
  return (PENDING_STATES as readonly JobState[]).includes(state);
}

export function dedupeKeyOf(type: string, key: string): string {
  return `${type}\u0000${key}`;
}

/** A copy the caller may change without changing the store. */
export function jobRecord({ retry: _retry, ...record }: JobRow): JobRecord {
  return structuredClone(record);
}

/** Stores a new job in the open transaction, unless a pending one holds its dedupe key. */
export async function insertJob(db: MemoryDatabase, id: string, now: Date, job: NewJob): Promise<Enqueued> {
  if (job.dedupeKey !== null) {
    const key = dedupeKeyOf(job.type, job.dedupeKey);
    await db.lock(dedupeKeysTable, key);
    const pointer = db.read(dedupeKeysTable, key);
    const holder = pointer === undefined ? undefined : db.read(jobsTable, pointer.value.jobId);
    if (holder !== undefined && isPending(holder.value.state)) {
      return { job: jobRecord(holder.value), deduplicated: true };
    }
    const version = pointer?.version ?? 0;
    db.write(dedupeKeysTable, key, version, { version: version + 1, value: { jobId: id } }, []);
  }
  const row: JobRow = {
    id,
    type: job.type,
    state: "queued",
    payload: structuredClone(job.payload) as JsonValue,
    dedupeKey: job.dedupeKey,
    attempts: 0,
    maxAttempts: job.retry.maxAttempts,
    runAt: job.runAt,
    leaseExpiresAt: null,
    claimedBy: null,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    retry: job.retry,
  };
  db.write(jobsTable, id, 0, { version: 1, value: row }, []);
  return { job: jobRecord(row), deduplicated: false };
}

/** Replaces a locked job's row with `changes` applied. */
export function updateJob(
  db: MemoryDatabase,
  version: number,
  row: JobRow,
  changes: Partial<JobRow>,
): JobRow {
  const next = { ...row, ...changes };
  db.write(jobsTable, row.id, version, { version: version + 1, value: next }, []);
  return next;
}
