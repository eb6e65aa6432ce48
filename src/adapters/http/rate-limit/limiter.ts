import type { RateLimiterRes } from "rate-limiter-flexible";

/**
 * The calls keel makes on one limit's counters: rate-limiter-flexible's, narrowed to what is used,
 * so a store can put something of its own (a circuit breaker, a fallback) between them and Redis.
 * Like rate-limiter-flexible, `consume` rejects with the RateLimiterRes itself when the key is over
 * its limit, and every call rejects with an Error when the store fails.
 */
export interface Limiter {
  readonly points: number;
  consume(key: string): Promise<RateLimiterRes>;
  penalty(key: string): Promise<RateLimiterRes>;
  reward(key: string, points: number): Promise<RateLimiterRes>;
  get(key: string): Promise<RateLimiterRes | null>;
  delete(key: string): Promise<boolean>;
}
