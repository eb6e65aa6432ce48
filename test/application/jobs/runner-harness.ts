import { randomUUID } from "node:crypto";
import * as t from "io-ts";
import { MemoryJobQueue } from "../../../src/adapters/jobs/memory/memory-job-queue.js";
import { MemoryJobSchedules } from "../../../src/adapters/jobs/memory/memory-job-schedules.js";
import { MemoryJobs } from "../../../src/adapters/jobs/memory/memory-jobs.js";
import { MemoryDatabase } from "../../../src/adapters/memory/memory-database.js";
import type { JobHandler } from "../../../src/application/jobs/job-handler.js";
import { JobRunner, type JobRunnerSettings } from "../../../src/application/jobs/job-runner.js";
import type { JobObserver, JobOutcome } from "../../../src/ports/job-observer.js";
import type { JobQueue } from "../../../src/ports/job-queue.js";
import type { JobType } from "../../../src/ports/jobs.js";
import type { Logger } from "../../../src/ports/logger.js";
import { FixedClock } from "../../support/fixed-clock.js";

const Work = t.type({ step: t.string });
export type Work = t.TypeOf<typeof Work>;
/** Tried three times, a second apart. */
export const work: JobType<Work> = {
  name: "test.work",
  payload: Work,
  retry: { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 1000 },
};

export interface LogLine {
  readonly level: "error" | "warn" | "info" | "debug";
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** Keeps what the runner logs, so a spec can say what an operator would read. */
export function recordingLogger(lines: LogLine[]): Logger {
  const logger: Logger = {
    error: (fields, message) => void lines.push({ level: "error", fields, message }),
    warn: (fields, message) => void lines.push({ level: "warn", fields, message }),
    info: (fields, message) => void lines.push({ level: "info", fields, message }),
    debug: (fields, message) => void lines.push({ level: "debug", fields, message }),
    child: () => logger,
    isLevelEnabled: () => true,
  };
  return logger;
}

export interface Finished {
  readonly type: string;
  readonly outcome: JobOutcome;
}

/** A runner over the memory store on a clock the spec moves, with what it logs and reports. */
export function runnerHarness(
  handlers: readonly JobHandler<unknown>[],
  settings: Partial<JobRunnerSettings> = {},
  wrapQueue: (queue: JobQueue) => JobQueue = (queue) => queue,
) {
  const clock = new FixedClock(new Date("2026-05-04T08:00:00.000Z"));
  const db = new MemoryDatabase(randomUUID);
  const ids = { next: () => randomUUID() };
  const jobs = new MemoryJobs(db, clock, ids);
  const queue = new MemoryJobQueue(db, clock);
  const schedules = new MemoryJobSchedules(db, clock, ids);
  const log: LogLine[] = [];
  const finished: Finished[] = [];
  const observer: JobObserver = { jobFinished: (type, outcome) => void finished.push({ type, outcome }) };
  const runner = new JobRunner(
    wrapQueue(queue),
    handlers,
    clock,
    recordingLogger(log),
    { concurrency: 2, pollMs: 5, leaseMs: 30_000, stopTimeoutMs: 1_000, worker: "test-runner", ...settings },
    schedules,
    observer,
  );
  return { clock, jobs, queue, schedules, runner, log, finished };
}
