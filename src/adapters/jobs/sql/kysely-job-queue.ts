import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import type { Clock } from "../../../ports/clock.js";
import type { ClaimedJob, ClaimRequest, FailOutcome, JobQueue } from "../../../ports/job-queue.js";
import { type JobState, retryDelayMs } from "../../../ports/jobs.js";
import type { Database } from "../../persistence/kysely/database.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import { claimOf, inTransaction } from "./sql-job-rows.js";

/**
 * The worker's side of the SQL store. A claim locks the due rows it takes with `FOR UPDATE SKIP
 * LOCKED`, so workers on other connections (processes, machines) pass over them instead of waiting,
 * and marks them running with a lease in the same statement: no job is taken twice, and a job whose
 * worker died is taken again once its lease runs out. Every call that ends a claim matches the
 * job's attempt number, so a worker whose lease ran out cannot overwrite the next worker's result.
 *
 * On PGlite the statements are the same, and PGlite runs them, but it is one session in one process:
 * there is never another session's lock to skip. What keeps two claims apart there is the driver,
 * which lends its single connection to one transaction at a time, so claims run one after the other.
 */
export class KyselyJobQueue implements JobQueue {
  constructor(
    private readonly scope: TransactionScope,
    private readonly clock: Clock,
  ) {}

  async claim(request: ClaimRequest): Promise<ClaimedJob[]> {
    if (request.types.length === 0 || request.limit < 1) return [];
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + request.leaseMs);
    const rows = await inTransaction(this.scope, async (trx) => {
      await this.buryOutOfAttempts(trx, request.types, now);
      return trx
        .with(
          (cte) => cte("due").materialized(),
          (db) =>
            db
              .selectFrom("jobs")
              .select("id")
              .where("type", "in", request.types)
              .where((eb) =>
                eb.or([
                  eb.and([eb("state", "in", ["queued", "failed"]), eb("run_at", "<=", now)]),
                  eb.and([
                    eb("state", "=", "running"),
                    eb("lease_expires_at", "<=", now),
                    eb("attempts", "<", eb.ref("max_attempts")),
                  ]),
                ]),
              )
              .orderBy("run_at")
              .orderBy("id")
              .limit(request.limit)
              .forUpdate()
              .skipLocked(),
        )
        .updateTable("jobs")
        .from("due")
        .set((eb) => ({
          state: "running",
          attempts: eb("jobs.attempts", "+", 1),
          lease_expires_at: leaseUntil,
          claimed_by: request.worker,
          updated_at: now,
        }))
        .whereRef("jobs.id", "=", "due.id")
        .returningAll("jobs")
        .execute();
    });
    // An update returns rows in no particular order; claims are handed out longest due first.
    return rows.map(claimOf).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  async complete(job: ClaimedJob): Promise<boolean> {
    const now = this.clock.now();
    const result = await this.scope
      .reader()
      .updateTable("jobs")
      .where(heldBy(job))
      .set({ state: "succeeded", lease_expires_at: null, updated_at: now })
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Read, then written in one transaction: the wait before a retry is `retryDelayMs`, one rule for every store. */
  async fail(job: ClaimedJob, failure: { reason: string; permanent: boolean }): Promise<FailOutcome> {
    const now = this.clock.now();
    return inTransaction(this.scope, async (trx) => {
      const row = await trx
        .selectFrom("jobs")
        .where(heldBy(job))
        .select(["attempts", "max_attempts", "backoff_ms", "max_backoff_ms"])
        .forUpdate()
        .executeTakeFirst();
      if (row === undefined) return { state: "lost" };
      const common = { lease_expires_at: null, last_error: failure.reason, updated_at: now };
      const update = trx.updateTable("jobs").where("id", "=", job.id);
      if (failure.permanent || row.attempts >= row.max_attempts) {
        await update.set({ ...common, state: "dead" }).execute();
        return { state: "dead" };
      }
      const policy = {
        maxAttempts: row.max_attempts,
        backoffMs: row.backoff_ms,
        maxBackoffMs: row.max_backoff_ms,
      };
      const retryAt = new Date(now.getTime() + retryDelayMs(policy, row.attempts));
      await update.set({ ...common, state: "failed", run_at: retryAt }).execute();
      return { state: "failed", retryAt };
    });
  }

  async release(job: ClaimedJob, runAt?: Date): Promise<boolean> {
    const now = this.clock.now();
    const result = await this.scope
      .reader()
      .updateTable("jobs")
      .where(heldBy(job))
      .set((eb) => ({
        state: eb
          .case()
          .when("attempts", ">", 1)
          .then(sql.lit<JobState>("failed"))
          .else(sql.lit<JobState>("queued"))
          .end(),
        attempts: eb("attempts", "-", 1),
        run_at: runAt ?? now,
        lease_expires_at: null,
        updated_at: now,
      }))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async extendLease(job: ClaimedJob, leaseMs: number): Promise<Date | undefined> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + leaseMs);
    const result = await this.scope
      .reader()
      .updateTable("jobs")
      .where(heldBy(job))
      .set({ lease_expires_at: until, updated_at: now })
      .executeTakeFirst();
    return result.numUpdatedRows === 1n ? until : undefined;
  }

  /**
   * A running job whose lease ran out with no attempt left is dead, not claimed: a job that kills its
   * worker every time (out of memory, a crash in a native module) must not take every worker down in turn.
   */
  private async buryOutOfAttempts(trx: Kysely<Database>, types: readonly string[], now: Date): Promise<void> {
    await trx
      .updateTable("jobs")
      .set({
        state: "dead",
        lease_expires_at: null,
        last_error: sql<string>`'its lease ran out on attempt ' || attempts || ' of ' || max_attempts || ': the worker running it stopped'`,
        updated_at: now,
      })
      .where("id", "in", (db) =>
        db
          .selectFrom("jobs")
          .select("id")
          .where("type", "in", types)
          .where("state", "=", "running")
          .where("lease_expires_at", "<=", now)
          .whereRef("attempts", ">=", "max_attempts")
          .forUpdate()
          .skipLocked(),
      )
      .execute();
  }
}

/** The job while this claim holds it: running, at the claim's attempt. */
function heldBy(job: ClaimedJob) {
  return (eb: ExpressionBuilder<Database, "jobs">) =>
    eb.and([eb("id", "=", job.id), eb("state", "=", "running"), eb("attempts", "=", job.attempt)]);
}
