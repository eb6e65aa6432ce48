import { type Selectable, sql } from "kysely";
import type { Clock } from "../../../ports/clock.js";
import type { IdGenerator } from "../../../ports/id-generator.js";
import type { FiredSchedule, JobSchedules, Schedule, ScheduleRecord } from "../../../ports/job-schedules.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import { nextFiring } from "../cron-calendar.js";
import { newJob } from "../new-job.js";
import { scheduleDedupeKey, scheduleName } from "../schedule-rules.js";
import type { JobSchedulesTable } from "./job-tables.js";
import { insertJob, inTransaction } from "./sql-job-rows.js";

/**
 * Recurring schedules in PostgreSQL or PGlite. Firing locks the due schedules with `FOR UPDATE SKIP
 * LOCKED` and enqueues and advances each in one transaction, so of several workers firing at once
 * each firing is taken by one, and a crash between enqueueing and advancing undoes both.
 */
export class KyselyJobSchedules implements JobSchedules {
  constructor(
    private readonly scope: TransactionScope,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** One upsert: of two workers defining the same schedule at start, neither fails. */
  async define<T>(schedule: Schedule<T>): Promise<ScheduleRecord> {
    const now = this.clock.now();
    const name = scheduleName(schedule.name);
    const nextRunAt = nextFiring(name, schedule.cron, schedule.timeZone, now);
    const job = newJob(schedule.job, schedule.payload, {}, now);
    const row = await this.scope
      .reader()
      .insertInto("job_schedules")
      .values({
        name,
        cron: schedule.cron,
        time_zone: schedule.timeZone,
        job_type: job.type,
        payload: JSON.stringify(job.payload),
        max_attempts: job.retry.maxAttempts,
        backoff_ms: job.retry.backoffMs,
        max_backoff_ms: job.retry.maxBackoffMs,
        next_run_at: nextRunAt,
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) =>
        conflict.column("name").doUpdateSet((eb) => ({
          cron: eb.ref("excluded.cron"),
          time_zone: eb.ref("excluded.time_zone"),
          job_type: eb.ref("excluded.job_type"),
          payload: eb.ref("excluded.payload"),
          max_attempts: eb.ref("excluded.max_attempts"),
          backoff_ms: eb.ref("excluded.backoff_ms"),
          max_backoff_ms: eb.ref("excluded.max_backoff_ms"),
          // Unchanged timing keeps the next firing: a restart neither skips nor repeats one.
          next_run_at: eb
            .case()
            .when(
              eb.and([
                eb("job_schedules.cron", "=", eb.ref("excluded.cron")),
                eb("job_schedules.time_zone", "=", eb.ref("excluded.time_zone")),
              ]),
            )
            .then(eb.ref("job_schedules.next_run_at"))
            .else(eb.ref("excluded.next_run_at"))
            .end(),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return scheduleRecord(row);
  }

  async remove(name: string): Promise<boolean> {
    const result = await this.scope
      .reader()
      .deleteFrom("job_schedules")
      .where("name", "=", name)
      .executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  /** By name in code point order, as the memory store sorts, whatever the database's collation. */
  async list(): Promise<ScheduleRecord[]> {
    const rows = await this.scope
      .reader()
      .selectFrom("job_schedules")
      .selectAll()
      .orderBy(sql`name collate "C"`)
      .execute();
    return rows.map(scheduleRecord);
  }

  async fireDue(): Promise<FiredSchedule[]> {
    const now = this.clock.now();
    return inTransaction(this.scope, async (trx) => {
      const due = await trx
        .selectFrom("job_schedules")
        .selectAll()
        .where("next_run_at", "<=", now)
        .orderBy("next_run_at")
        .orderBy(sql`name collate "C"`)
        .forUpdate()
        .skipLocked()
        .execute();
      const fired: FiredSchedule[] = [];
      for (const row of due) {
        const nextRunAt = nextFiring(row.name, row.cron, row.time_zone, now);
        const enqueued = await insertJob(trx, this.ids.next(), now, {
          type: row.job_type,
          payload: row.payload,
          dedupeKey: scheduleDedupeKey(row.name),
          runAt: row.next_run_at,
          retry: {
            maxAttempts: row.max_attempts,
            backoffMs: row.backoff_ms,
            maxBackoffMs: row.max_backoff_ms,
          },
        });
        await trx
          .updateTable("job_schedules")
          .set({ next_run_at: nextRunAt, last_fired_at: now, updated_at: now })
          .where("name", "=", row.name)
          .execute();
        fired.push({
          schedule: row.name,
          dueAt: row.next_run_at,
          jobId: enqueued.job.id,
          deduplicated: enqueued.deduplicated,
          nextRunAt,
        });
      }
      return fired;
    });
  }

  async lagSeconds(): Promise<number> {
    const now = this.clock.now();
    const { earliest } = await this.scope
      .reader()
      .selectFrom("job_schedules")
      .select((eb) => eb.fn.min("next_run_at").as("earliest"))
      .executeTakeFirstOrThrow();
    const next = earliest as Date | null;
    return next === null ? 0 : Math.max(0, now.getTime() - next.getTime()) / 1000;
  }
}

function scheduleRecord(row: Selectable<JobSchedulesTable>): ScheduleRecord {
  return {
    name: row.name,
    cron: row.cron,
    timeZone: row.time_zone,
    jobType: row.job_type,
    payload: row.payload,
    nextRunAt: row.next_run_at,
    lastFiredAt: row.last_fired_at,
  };
}
