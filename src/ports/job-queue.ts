import type { JsonValue } from "./jobs.js";
import { token } from "./token.js";

export interface ClaimRequest {
  /** The types the claimer has handlers for; other jobs wait for a worker that has. */
  readonly types: readonly string[];
  readonly limit: number;
  /** How long the claim holds without renewal. */
  readonly leaseMs: number;
  /** Who claims, shown to operators (host, process, runner). */
  readonly worker: string;
}

/** A job a worker holds. `id` with `attempt` names the claim: a claim that was lost changes nothing. */
export interface ClaimedJob {
  readonly id: string;
  readonly type: string;
  readonly payload: JsonValue;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** When it was due; the claim's delay from it is the queue's lag. */
  readonly runAt: Date;
  readonly leaseExpiresAt: Date;
}

/** After a failed attempt: waiting for a retry, dead, or the claim had been lost (nothing changed). */
export type FailOutcome =
  | { readonly state: "failed"; readonly retryAt: Date }
  | { readonly state: "dead" }
  | { readonly state: "lost" };

/**
 * The worker's side of the Jobs port. A claim takes due jobs no other claim holds — a queued one, a
 * failed one whose retry is due, or a running one whose lease ran out — and counts an attempt; a
 * running job whose lease ran out with no attempt left is dead instead. Each call that ends a claim
 * says whether it still held it: `false` or `lost` means the lease had run out and another claim took
 * the job.
 */
export interface JobQueue {
  claim(request: ClaimRequest): Promise<ClaimedJob[]>;
  complete(job: ClaimedJob): Promise<boolean>;
  /** A `permanent` failure is dead at once; another waits for its retry, or is dead when out of attempts. */
  fail(
    job: ClaimedJob,
    failure: { readonly reason: string; readonly permanent: boolean },
  ): Promise<FailOutcome>;
  /** Gives the job back unrun (the worker is stopping): the attempt is not counted; due again at `runAt` (now). */
  release(job: ClaimedJob, runAt?: Date): Promise<boolean>;
  /** Renews the lease for `leaseMs` from now; undefined when the claim was lost. */
  extendLease(job: ClaimedJob, leaseMs: number): Promise<Date | undefined>;
}
export const JobQueue = token<JobQueue>("JobQueue");
