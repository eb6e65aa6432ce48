import type { JobType } from "../../ports/jobs.js";

export interface JobContext {
  readonly jobId: string;
  /** This attempt's number, from 1: a handler can tell a retry from a first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** When the job was due; a schedule's job runs for this time, whenever it actually runs. */
  readonly dueAt: Date;
  /**
   * Aborted when the job should stop early: the worker is stopping (the job will be given back, not
   * counted as failed), or the worker lost its claim (another may run the job now). A long handler
   * checks it between steps.
   */
  readonly signal: AbortSignal;
}

/**
 * Runs one type of job. It may run more than once for one job (a worker that dies mid-job leaves it
 * to another), so, like an event subscriber, it makes a second run harmless. Throwing fails the
 * attempt: the job is retried by its type's policy, or dead once out of attempts.
 */
export interface JobHandler<T> {
  readonly job: JobType<T>;
  handle(payload: T, context: JobContext): Promise<void>;
}

/** Thrown by a handler when trying again cannot help (the order it was for no longer exists): the job is dead at once. */
export class PermanentJobFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobFailure";
  }
}
