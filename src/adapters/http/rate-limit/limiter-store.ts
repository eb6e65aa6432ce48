import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";

/** So many points per window; a key's counter starts at its first point and resets when the window ends. */
export interface Limit {
  readonly points: number;
  readonly windowS: number;
}

/** What a limiter does when its store cannot be reached. */
export type OnStoreFailure = "open" | "closed";

/** Where counters live: builds one rate-limiter-flexible limiter per named limit. */
export interface LimiterStore {
  create(name: string, limit: Limit, onFailure: OnStoreFailure): RateLimiterAbstract;
}

/** Counters in this process: for one instance, development and tests. Failure modes do not apply. */
export function memoryLimiters(keyPrefix: string): LimiterStore {
  return {
    create: (name, { points, windowS }) =>
      new RateLimiterMemory({ keyPrefix: `${keyPrefix}:${name}`, points, duration: windowS }),
  };
}

/**
 * Counters in Redis, shared by every instance. Failing open gives each limiter an in-process
 * insurance limiter with the same limit, which rate-limiter-flexible uses whenever Redis does not
 * answer; failing closed gives none, so the store's error reaches the caller.
 */
export function redisLimiters(client: Redis, keyPrefix: string): LimiterStore {
  return {
    create: (name, { points, windowS }, onFailure) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${keyPrefix}:${name}`,
        points,
        duration: windowS,
        // While disconnected, go straight to the insurance (or fail) instead of trying the socket.
        rejectIfRedisNotReady: true,
        ...(onFailure === "open"
          ? {
              insuranceLimiter: new RateLimiterMemory({
                keyPrefix: `${keyPrefix}:${name}`,
                points,
                duration: windowS,
              }),
            }
          : {}),
      }),
  };
}
