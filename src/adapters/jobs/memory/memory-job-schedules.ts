import type { Clock } from "../../../ports/clock.js";
import type { IdGenerator } from "../../../ports/id-generator.js";
import type { FiredSchedule, JobSchedules, Schedule, ScheduleRecord } from "../../../ports/job-schedules.js";
import type { JsonValue, RetryPolicy } from "../../../ports/jobs.js";
import type { MemoryDatabase, TableDefinition } from "../../memory/memory-database.js";
import { standaloneWrite } from "../../memory/standalone-write.js";
import { nextFiring } from "../cron-calendar.js";
import { newJob } from "../new-job.js";
import { scheduleDedupeKey, scheduleName } from "../schedule-rules.js";
import { insertJob } from "./memory-job-rows.js";

interface ScheduleRow extends ScheduleRecord {
  readonly retry: RetryPolicy;
}

const schedulesTable: TableDefinition<ScheduleRow> = { name: "job_schedules" };

/** Recurring schedules in the memory store, firing into MemoryJobs' table in one transaction. */
export class MemoryJobSchedules implements JobSchedules {
  constructor(
    private readonly db: MemoryDatabase,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  define<T>(schedule: Schedule<T>): Promise<ScheduleRecord> {
    const now = this.clock.now();
    const name = scheduleName(schedule.name);
    const nextRunAt = nextFiring(name, schedule.cron, schedule.timeZone, now);
    const job = newJob(schedule.job, schedule.payload, {}, now);
    return standaloneWrite(this.db, async () => {
      await this.db.lock(schedulesTable, name);
      const stored = this.db.read(schedulesTable, name);
      const same = stored?.value.cron === schedule.cron && stored.value.timeZone === schedule.timeZone;
      const row: ScheduleRow = {
        name,
        cron: schedule.cron,
        timeZone: schedule.timeZone,
        jobType: job.type,
        payload: job.payload,
        retry: job.retry,
        nextRunAt: same ? stored.value.nextRunAt : nextRunAt,
        lastFiredAt: stored?.value.lastFiredAt ?? null,
      };
      const version = stored?.version ?? 0;
      this.db.write(schedulesTable, name, version, { version: version + 1, value: row }, []);
      return record(row);
    });
  }

  remove(name: string): Promise<boolean> {
    return standaloneWrite(this.db, async () => {
      await this.db.lock(schedulesTable, name);
      const stored = this.db.read(schedulesTable, name);
      if (stored === undefined) return false;
      this.db.delete(schedulesTable, name, stored.version);
      return true;
    });
  }

  async list(): Promise<ScheduleRecord[]> {
    return this.all()
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map(record);
  }

  fireDue(): Promise<FiredSchedule[]> {
    const now = this.clock.now();
    const due = (row: ScheduleRow) => row.nextRunAt.getTime() <= now.getTime();
    return standaloneWrite(this.db, async () => {
      const fired: FiredSchedule[] = [];
      const candidates = this.all()
        .filter(due)
        .sort((a, b) => a.nextRunAt.getTime() - b.nextRunAt.getTime() || (a.name < b.name ? -1 : 1));
      for (const candidate of candidates) {
        await this.db.lock(schedulesTable, candidate.name);
        const stored = this.db.read(schedulesTable, candidate.name);
        if (stored === undefined || !due(stored.value)) continue;
        const row = stored.value;
        const nextRunAt = nextFiring(row.name, row.cron, row.timeZone, now);
        const enqueued = await insertJob(this.db, this.ids.next(), now, {
          type: row.jobType,
          payload: row.payload as JsonValue,
          dedupeKey: scheduleDedupeKey(row.name),
          runAt: row.nextRunAt,
          retry: row.retry,
        });
        const next: ScheduleRow = { ...row, nextRunAt, lastFiredAt: now };
        this.db.write(
          schedulesTable,
          row.name,
          stored.version,
          { version: stored.version + 1, value: next },
          [],
        );
        fired.push({
          schedule: row.name,
          dueAt: row.nextRunAt,
          jobId: enqueued.job.id,
          deduplicated: enqueued.deduplicated,
          nextRunAt,
        });
      }
      return fired;
    });
  }

  async lagSeconds(): Promise<number> {
    const now = this.clock.now().getTime();
    const due = this.all().map((row) => row.nextRunAt.getTime());
    return due.length === 0 ? 0 : Math.max(0, now - Math.min(...due)) / 1000;
  }

  private all(): ScheduleRow[] {
    return [...this.db.rows(schedulesTable)].map((row) => row.value);
  }
}

function record({ retry: _retry, ...schedule }: ScheduleRow): ScheduleRecord {
  return structuredClone(schedule);
}
