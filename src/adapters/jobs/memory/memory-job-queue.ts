import type { Clock } from "../../../ports/clock.js";
import type { ClaimedJob, ClaimRequest, FailOutcome, JobQueue } from "../../../ports/job-queue.js";
import { retryDelayMs } from "../../../ports/jobs.js";
import type { MemoryDatabase } from "../../memory/memory-database.js";
import { standaloneWrite } from "../../memory/standalone-write.js";
import { type JobRow, jobsTable, updateJob } from "./memory-job-rows.js";

/**
 * The worker's side of the memory store. A claim locks each candidate before taking it (where SQL
 * skips a locked row, this waits for it and reads it again: in one process the wait is a moment), so
 * two claims never take one job.
 */
export class MemoryJobQueue implements JobQueue {
  constructor(
    private readonly db: MemoryDatabase,
    private readonly clock: Clock,
  ) {}

  claim(request: ClaimRequest): Promise<ClaimedJob[]> {
    const now = this.clock.now();
    const ofTypes = (job: JobRow) => request.types.includes(job.type);
    return standaloneWrite(this.db, async () => {
      for (const job of this.candidates((j) => ofTypes(j) && leaseRanOut(j, now) && outOfAttempts(j))) {
        await this.locked(
          job.id,
          (j) => leaseRanOut(j, now) && outOfAttempts(j),
          (row, version) =>
            updateJob(this.db, version, row, {
              state: "dead",
              leaseExpiresAt: null,
              lastError: `its lease ran out on attempt ${row.attempts} of ${row.maxAttempts}: the worker running it stopped`,
              updatedAt: now,
            }),
        );
      }
      const claimed: ClaimedJob[] = [];
      for (const job of this.candidates((j) => ofTypes(j) && claimable(j, now))) {
        if (claimed.length >= request.limit) break;
        await this.locked(
          job.id,
          (j) => claimable(j, now),
          (row, version) => {
            const taken = updateJob(this.db, version, row, {
              state: "running",
              attempts: row.attempts + 1,
              leaseExpiresAt: new Date(now.getTime() + request.leaseMs),
              claimedBy: request.worker,
              updatedAt: now,
            });
            claimed.push(claimOf(taken));
          },
        );
      }
      return claimed;
    });
  }

  async complete(job: ClaimedJob): Promise<boolean> {
    const now = this.clock.now();
    return this.held(
      job,
      (row, version) => {
        updateJob(this.db, version, row, { state: "succeeded", leaseExpiresAt: null, updatedAt: now });
        return true;
      },
      false,
    );
  }

  async fail(job: ClaimedJob, failure: { reason: string; permanent: boolean }): Promise<FailOutcome> {
    const now = this.clock.now();
    return this.held<FailOutcome>(
      job,
      (row, version) => {
        const common = { leaseExpiresAt: null, lastError: failure.reason, updatedAt: now };
        if (failure.permanent || row.attempts >= row.maxAttempts) {
          updateJob(this.db, version, row, { ...common, state: "dead" });
          return { state: "dead" };
        }
        const retryAt = new Date(now.getTime() + retryDelayMs(row.retry, row.attempts));
        updateJob(this.db, version, row, { ...common, state: "failed", runAt: retryAt });
        return { state: "failed", retryAt };
      },
      { state: "lost" },
    );
  }

  async release(job: ClaimedJob, runAt?: Date): Promise<boolean> {
    const now = this.clock.now();
    return this.held(
      job,
      (row, version) => {
        updateJob(this.db, version, row, {
          state: row.attempts > 1 ? "failed" : "queued",
          attempts: row.attempts - 1,
          runAt: runAt ?? now,
          leaseExpiresAt: null,
          updatedAt: now,
        });
        return true;
      },
      false,
    );
  }

  async extendLease(job: ClaimedJob, leaseMs: number): Promise<Date | undefined> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + leaseMs);
    return this.held<Date | undefined>(
      job,
      (row, version) => {
        updateJob(this.db, version, row, { leaseExpiresAt: until, updatedAt: now });
        return until;
      },
      undefined,
    );
  }

  /** Committed jobs matching `which`, in claim order: the longest due first. */
  private candidates(which: (job: JobRow) => boolean): JobRow[] {
    return [...this.db.rows(jobsTable)]
      .map((row) => row.value)
      .filter(which)
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  /** Locks the job and applies `change` if it still matches `which` once locked. */
  private async locked(
    id: string,
    which: (job: JobRow) => boolean,
    change: (row: JobRow, version: number) => void,
  ): Promise<void> {
    await this.db.lock(jobsTable, id);
    const row = this.db.read(jobsTable, id);
    if (row !== undefined && which(row.value)) change(row.value, row.version);
  }

  /** Applies `change` when the claim still holds the job (running, this attempt); else `lost`. */
  private held<T>(job: ClaimedJob, change: (row: JobRow, version: number) => T, lost: T): Promise<T> {
    return standaloneWrite(this.db, async () => {
      await this.db.lock(jobsTable, job.id);
      const row = this.db.read(jobsTable, job.id);
      if (row === undefined || row.value.state !== "running" || row.value.attempts !== job.attempt)
        return lost;
      return change(row.value, row.version);
    });
  }
}

function leaseRanOut(job: JobRow, now: Date): boolean {
  return job.state === "running" && (job.leaseExpiresAt?.getTime() ?? 0) <= now.getTime();
}

function outOfAttempts(job: JobRow): boolean {
  return job.attempts >= job.maxAttempts;
}

function claimable(job: JobRow, now: Date): boolean {
  const due = (job.state === "queued" || job.state === "failed") && job.runAt.getTime() <= now.getTime();
  return due || (leaseRanOut(job, now) && !outOfAttempts(job));
}

function claimOf(row: JobRow): ClaimedJob {
  return {
    id: row.id,
    type: row.type,
    payload: structuredClone(row.payload),
    attempt: row.attempts,
    maxAttempts: row.maxAttempts,
    runAt: row.runAt,
    // A running row always holds a lease (the jobs_lease check).
    leaseExpiresAt: row.leaseExpiresAt as Date,
  };
}
