import { isStorableText } from "../../domain/shared/storable-text.js";
import {
  DEFAULT_RETRY,
  type EnqueueOptions,
  InvalidJob,
  type JobType,
  type JsonValue,
  type RetryPolicy,
} from "../../ports/jobs.js";

/** A job as both stores write it: checked, its payload encoded, its retry policy settled. */
export interface NewJob {
  readonly type: string;
  readonly payload: JsonValue;
  readonly dedupeKey: string | null;
  readonly runAt: Date;
  readonly retry: RetryPolicy;
}

/** A day: longer waits between attempts are schedules, not retries. */
const MAX_BACKOFF_MS = 24 * 60 * 60_000;
const MAX_ATTEMPTS = 100;
const KEY_MAX_LENGTH = 200;

/**
 * Checks a job the same way for every store, so the memory store refuses exactly what PostgreSQL
 * could not keep: the payload's JSON must survive jsonb (no NUL, no lone surrogate, no value JSON
 * drops or changes, such as undefined, NaN or a Date).
 */
export function newJob<T>(type: JobType<T>, payload: T, options: EnqueueOptions, now: Date): NewJob {
  jobTypeName(type.name);
  const encoded = type.payload.encode(payload);
  if (!survivesJson(encoded)) {
    throw new InvalidJob(type.name, `its payload is not plain JSON of storable text (${type.payload.name})`);
  }
  const key = options.dedupeKey;
  if (key !== undefined && (key.length === 0 || key.length > KEY_MAX_LENGTH || !isStorableText(key))) {
    throw new InvalidJob(type.name, `a dedupe key is 1-${KEY_MAX_LENGTH} characters of storable text`);
  }
  const runAt = options.runAt ?? now;
  if (Number.isNaN(runAt.getTime())) throw new InvalidJob(type.name, "its run time is not a time");
  return {
    type: type.name,
    payload: encoded,
    dedupeKey: key ?? null,
    runAt: new Date(runAt),
    retry: retryPolicy(type.name, type.retry ?? DEFAULT_RETRY),
  };
}

/** Lower-case words joined by dots and dashes, at most 100 characters: `orders.payment-deadline`. */
function jobTypeName(name: string): string {
  if (!/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/.test(name) || name.length > 100) {
    throw new InvalidJob(name, "a job type's name is lower-case words joined by dots or dashes");
  }
  return name;
}

function retryPolicy(type: string, policy: RetryPolicy): RetryPolicy {
  const whole = (value: number, from: number, to: number) =>
    Number.isSafeInteger(value) && value >= from && value <= to;
  if (
    !whole(policy.maxAttempts, 1, MAX_ATTEMPTS) ||
    !whole(policy.backoffMs, 0, MAX_BACKOFF_MS) ||
    !whole(policy.maxBackoffMs, policy.backoffMs, MAX_BACKOFF_MS)
  ) {
    throw new InvalidJob(
      type,
      `a retry policy has 1-${MAX_ATTEMPTS} attempts and backoffs from 0 to ${MAX_BACKOFF_MS} ms, the first no longer than the longest`,
    );
  }
  return { maxAttempts: policy.maxAttempts, backoffMs: policy.backoffMs, maxBackoffMs: policy.maxBackoffMs };
}

/**
 * Plain JSON whose text every store keeps: finite numbers, strings and keys without NUL or an unpaired
 * surrogate (jsonb refuses both), arrays, and objects of the plain kind — no undefined, Date, Map or
 * class instance, which JSON would drop or turn into something else.
 */
function survivesJson(value: unknown): boolean {
  if (value === null || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "string") return isStorableText(value);
  if (Array.isArray(value)) return value.every(survivesJson);
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.entries(value).every(([key, inner]) => isStorableText(key) && survivesJson(inner));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Job ids are UUIDs; anything else names no job (and PostgreSQL would refuse to compare it). */
export function isJobId(id: string): boolean {
  return UUID.test(id);
}
