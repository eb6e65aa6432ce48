import type { JobType, JsonValue } from "./jobs.js";
import { token } from "./token.js";

/** Recurring work: at every time the cron expression names, in its time zone, one job. */
export interface Schedule<T> {
  /** Unique: `auth.refresh-token-purge`. */
  readonly name: string;
  /** Five fields, minute hour day-of-month month day-of-week: `0 3 * * *` is 03:00 daily. */
  readonly cron: string;
  /**
   * The IANA time zone the expression is read in (`UTC`, `Europe/Berlin`); always given, never the
   * server's. Across a daylight-saving change a daily time that does not exist runs at the first time
   * after the gap, and one that occurs twice runs once.
   */
  readonly timeZone: string;
  readonly job: JobType<T>;
  readonly payload: T;
}

export interface ScheduleRecord {
  readonly name: string;
  readonly cron: string;
  readonly timeZone: string;
  readonly jobType: string;
  readonly payload: JsonValue;
  /** The next firing not yet enqueued. */
  readonly nextRunAt: Date;
  readonly lastFiredAt: Date | null;
}

export interface FiredSchedule {
  readonly schedule: string;
  /** The firing this job is for (it may be late: no worker ran at the time). */
  readonly dueAt: Date;
  readonly jobId: string;
  /** The previous firing's job had not finished: it stands for this firing too, and none was added. */
  readonly deduplicated: boolean;
  readonly nextRunAt: Date;
}

/** The expression does not parse, the time zone is unknown, or it never fires. */
export class InvalidSchedule extends Error {
  constructor(
    readonly schedule: string,
    reason: string,
  ) {
    super(`schedule ${schedule}: ${reason}`);
    this.name = "InvalidSchedule";
  }
}

export interface JobSchedules {
  /**
   * Creates or replaces a schedule. Defined again unchanged (every worker does at start), it keeps its
   * next firing, so a restart neither skips nor repeats one; changed, its next firing is computed anew.
   */
  define<T>(schedule: Schedule<T>): Promise<ScheduleRecord>;
  remove(name: string): Promise<boolean>;
  list(): Promise<ScheduleRecord[]>;
  /**
   * Enqueues one job for each schedule whose firing has come and moves it to its next firing after
   * now: firings missed while no worker ran make one job, not one each. A firing whose previous job
   * is still pending adds none (a slow maintenance job never piles up). Several workers may call it at
   * once: each firing is taken by one.
   */
  fireDue(): Promise<FiredSchedule[]>;
  /** How late the most overdue firing not yet enqueued is, in seconds; 0 when none is due. */
  lagSeconds(): Promise<number>;
}
export const JobSchedules = token<JobSchedules>("JobSchedules");
