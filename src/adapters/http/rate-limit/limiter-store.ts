import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { type Guard, withFallback } from "./fallback-limiter.js";
import type { Limiter } from "./limiter.js";

/** So many points per window; a key's counter starts at its first point and resets when the window ends. */
export interface Limit {
  readonly points: number;
  readonly windowS: number;
}

/** What a limiter does when its store cannot be reached. */
export type OnStoreFailure = "open" | "closed";

/** Where counters live: builds one limiter per named limit. */
export interface LimiterStore {
  create(name: string, limit: Limit, onFailure: OnStoreFailure): Limiter;
}

/** Counters in this process: for one instance, development and tests. Failure modes do not apply. */
export function memoryLimiters(keyPrefix: string): LimiterStore {
  return {
    create: (name, { points, windowS }) =>
      new RateLimiterMemory({ keyPrefix: `${keyPrefix}:${name}`, points, duration: windowS }),
  };
}

/**
 * Counters in Redis, shared by every instance. Each call goes through `guard` (the connection's
 * circuit breaker), which refuses at once while Redis is known to be down. Failing open gives each
 * limiter an in-process insurance limiter with the same limit, used whenever Redis does not answer
 * or is not tried; failing closed gives none, so the error reaches the caller. Without a guard
 * every call tries Redis (a disconnected client still fails at once).
 */
export function redisLimiters(client: Redis, keyPrefix: string, guard?: Guard): LimiterStore {
  return {
    create: (name, { points, windowS }, onFailure) => {
      const options = { keyPrefix: `${keyPrefix}:${name}`, points, duration: windowS };
      return withFallback(
        // While disconnected, fail at once instead of trying the socket.
        new RateLimiterRedis({ ...options, storeClient: client, rejectIfRedisNotReady: true }),
        onFailure === "open" ? new RateLimiterMemory(options) : undefined,
        guard,
      );
    },
  };
}
