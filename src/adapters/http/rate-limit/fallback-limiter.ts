import { RateLimiterRes } from "rate-limiter-flexible";
import type { Limiter } from "./limiter.js";

/** Runs a store call, or refuses it without trying (a circuit breaker while its dependency is down). */
export interface Guard {
  run<T>(operation: () => Promise<T>): Promise<T>;
}

const unguarded: Guard = { run: (operation) => operation() };

/**
 * A limiter whose store calls go through `guard`; when one fails or is refused, the call is made on
 * `fallback` instead (per-process counters), or, without a fallback, the error reaches the caller.
 * A key over its limit is an answer, not a failure: that rejection passes through untouched.
 */
export function withFallback(
  store: Limiter,
  fallback: Limiter | undefined,
  guard: Guard = unguarded,
): Limiter {
  const call = async <T>(operation: (limiter: Limiter) => Promise<T>): Promise<T> => {
    try {
      return await guard.run(() => operation(store));
    } catch (error) {
      if (error instanceof RateLimiterRes || fallback === undefined) throw error;
      return operation(fallback);
    }
  };
  return {
    points: store.points,
    consume: (key) => call((l) => l.consume(key)),
    penalty: (key) => call((l) => l.penalty(key)),
    reward: (key, points) => call((l) => l.reward(key, points)),
    get: (key) => call((l) => l.get(key)),
    delete: (key) => call((l) => l.delete(key)),
  };
}
