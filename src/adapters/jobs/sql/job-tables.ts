import type { ColumnType } from "kysely";
import type { JobState, JsonValue } from "../../../ports/jobs.js";

declare module "../../persistence/kysely/database.js" {
  interface Database {
    jobs: JobsTable;
    job_schedules: JobSchedulesTable;
  }
}

type Timestamp = ColumnType<Date, Date, Date>;

export interface JobsTable {
  id: string;
  type: string;
  state: ColumnType<JobState, JobState, JobState>;
  payload: ColumnType<JsonValue, string, string>;
  dedupe_key: string | null;
  attempts: number;
  max_attempts: number;
  backoff_ms: number;
  max_backoff_ms: number;
  run_at: Timestamp;
  lease_expires_at: ColumnType<Date | null, Date | null, Date | null>;
  claimed_by: string | null;
  last_error: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Timestamp;
}

export interface JobSchedulesTable {
  name: string;
  cron: string;
  time_zone: string;
  job_type: string;
  payload: ColumnType<JsonValue, string, string>;
  max_attempts: number;
  backoff_ms: number;
  max_backoff_ms: number;
  next_run_at: Timestamp;
  last_fired_at: ColumnType<Date | null, Date | null, Date | null>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Timestamp;
}
