import { token } from "./token.js";

/**
 * How one attempt ended for the worker that ran it: done, failed (to be retried), dead, given back
 * unrun (the worker stopped), or lost (its lease ran out and another worker took the job).
 */
export type JobOutcome = "succeeded" | "failed" | "dead" | "released" | "lost";

/** Told of every attempt a job runner finishes; metrics implement it, the core never knows how. */
export interface JobObserver {
  /** `type` is the job type's name, never anything from its payload. */
  jobFinished(type: string, outcome: JobOutcome, seconds: number): void;
}
export const JobObserver = token<JobObserver>("JobObserver");
