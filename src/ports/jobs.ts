import { token } from "./token.js";

/** What a job's payload is stored as: JSON, kept alike by jsonb and by the memory store. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * Turns a payload into the JSON stored with its job and back, checking it on the way back: a job may
 * wait through a deploy that changed what its type expects. The shape is io-ts's — a `t.Type<T, O>`
 * whose output O is JSON fits as it is, `decode` answering with fp-ts's Either — written out here so
 * that no port needs a library; the core can write one by hand.
 */
export interface PayloadCodec<T> {
  readonly name: string;
  encode(payload: T): JsonValue;
  decode(
    stored: unknown,
  ): { readonly _tag: "Right"; readonly right: T } | { readonly _tag: "Left"; readonly left: unknown };
}

/** For a job whose type says it all (a maintenance run): stored as `{}`, and anything stored reads as it. */
export const NO_PAYLOAD: PayloadCodec<Record<string, never>> = {
  name: "no payload",
  encode: () => ({}),
  decode: () => ({ _tag: "Right", right: {} }),
};

/**
 * How often a job is tried and how long it waits between tries: after the n-th failed attempt it
 * waits `backoffMs × 2^(n-1)`, at most `maxBackoffMs`; after `maxAttempts` attempts it is dead.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included: 1 means never retried. */
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

/** Five attempts over about 2.5 minutes: rides out a restart or a failover, not a day-long outage. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, backoffMs: 10_000, maxBackoffMs: 60 * 60_000 };

/** The wait after attempt `attempt` (1-based) failed. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.backoffMs * 2 ** Math.max(0, attempt - 1), policy.maxBackoffMs);
}

/**
 * A kind of job: its stable name (stored with every job, so renaming one strands the queued ones), its
 * payload's codec and its retries. Declared once, by the code that enqueues it and the handler that runs it.
 */
export interface JobType<T> {
  /** Lower-case words, dots and dashes: `orders.payment-deadline`. */
  readonly name: string;
  readonly payload: PayloadCodec<T>;
  /** DEFAULT_RETRY when absent. */
  readonly retry?: RetryPolicy;
}

/**
 * - queued: waiting for its time (`runAt`) and a worker;
 * - running: claimed by a worker until `leaseExpiresAt` (renewed while it runs); a lease that runs out
 *   (the worker died) makes it claimable again;
 * - failed: an attempt failed, the next is due at `runAt`;
 * - succeeded, dead (out of attempts, or failed for good), cancelled: final.
 */
export type JobState = "queued" | "running" | "failed" | "succeeded" | "dead" | "cancelled";

/** The states a dedupe key is held in: the job has not finished. */
export const PENDING_STATES = ["queued", "running", "failed"] as const satisfies readonly JobState[];

export interface JobRecord {
  readonly id: string;
  readonly type: string;
  readonly state: JobState;
  readonly payload: JsonValue;
  readonly dedupeKey: string | null;
  /** Attempts started so far, the one running included. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** When it is (or was) due: the time asked for, or of its next retry. */
  readonly runAt: Date;
  readonly leaseExpiresAt: Date | null;
  /** The worker that claimed it last. */
  readonly claimedBy: string | null;
  /** Why its last attempt failed. */
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface EnqueueOptions {
  /** When it may run; now when absent. A time in the past runs at once. */
  readonly runAt?: Date;
  /**
   * While a job of the same type with this key is pending (queued, running or waiting for a retry),
   * enqueueing returns that job and adds none. Once it has finished, the key is free again.
   */
  readonly dedupeKey?: string;
}

export interface Enqueued {
  readonly job: JobRecord;
  /** True when a pending job with the dedupe key was found and returned instead. */
  readonly deduplicated: boolean;
}

/**
 * A job that cannot be stored: a type name that is not one, a retry policy out of bounds, a dedupe key
 * or a payload holding text no store keeps (NUL, an unpaired surrogate), or a payload that is not JSON.
 */
export class InvalidJob extends Error {
  constructor(
    readonly jobType: string,
    reason: string,
  ) {
    super(`job ${jobType}: ${reason}`);
    this.name = "InvalidJob";
  }
}

/** An operator's change to one job: made, the job is not there, or its state does not allow it. */
export type JobChange =
  | { readonly outcome: "changed"; readonly job: JobRecord }
  | { readonly outcome: "not-found" }
  | { readonly outcome: "refused"; readonly job: JobRecord };

export interface JobFilter {
  readonly state?: JobState;
  readonly type?: string;
  readonly limit: number;
}

/** What metrics and readiness read, across every worker. */
export interface JobStats {
  readonly queued: number;
  readonly running: number;
  /** Failed at least once, waiting for a retry. */
  readonly failed: number;
  readonly dead: number;
  /** How long the longest-waiting due job (queued or failed, its time come) has waited; 0 when none. */
  readonly oldestDueSeconds: number;
}

/**
 * Background work that outlives the request that asked for it. Called inside a unit of work, enqueue
 * joins its transaction: the job exists exactly when the change that wanted it was committed. Jobs run
 * at least once (a worker that dies mid-job leaves it to another once its lease runs out), never twice
 * at the same time; handlers make a repeated run harmless, as event subscribers do.
 */
export interface Jobs {
  enqueue<T>(type: JobType<T>, payload: T, options?: EnqueueOptions): Promise<Enqueued>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Most recently changed first. */
  list(filter: JobFilter): Promise<JobRecord[]>;
  /** A failed, dead or cancelled job runs again now, with a full set of attempts. */
  retry(id: string): Promise<JobChange>;
  /** A queued, failed or dead job will not run. A running one is refused: its worker is on it. */
  cancel(id: string): Promise<JobChange>;
  stats(): Promise<JobStats>;
  /** Deletes succeeded and cancelled jobs last changed before `before`; returns how many. */
  purgeFinished(before: Date): Promise<number>;
}
export const Jobs = token<Jobs>("Jobs");
