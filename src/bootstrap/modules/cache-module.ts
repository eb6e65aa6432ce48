import { MemoryCache } from "../../adapters/cache/memory-cache.js";
import { RedisCache } from "../../adapters/cache/redis-cache.js";
import { RedisConnection } from "../../adapters/redis/redis-connection.js";
import { CacheInvalidation } from "../../application/shared/cache-invalidation.js";
import { type CachedQuery, CachingBehaviour } from "../../application/shared/caching-behaviour.js";
import { Cache, CacheObserver } from "../../ports/cache.js";
import { HealthCheck } from "../../ports/health-check.js";
import { Logger } from "../../ports/logger.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";
import { allOf } from "./all-of.js";
import type { Module } from "./module.js";

/** Entries live their TTL less up to this fraction (see CachingSettings.jitter). */
const TTL_JITTER = 0.1;

const UNCACHED = "cached queries are answered uncached, by their handlers";

/**
 * CACHE__DRIVER: the query cache in process (memory), in Redis shared by every instance, or none.
 * Bound in `serve` and `worker` when some query declares `cache` (bindQuery lists them; contexts
 * bind before this module): the caching behaviour joins the query pipeline, and the subscriber that
 * deletes stale entries joins the worker's subscribers. With Redis, the cache has a connection of
 * its own (the rate limits' client settings), so its outage, breaker and readiness note are its own.
 */
export const cacheModule: Module = (container, config, role) => {
  const settings = config.cache;
  // A one-shot command (migrate, replay, users) answers a query or two: not worth a connection.
  if (role === "tool" || settings.driver === "none" || !container.isBound(Tokens.CachedQueries)) return;

  if (settings.driver === "memory") {
    container.bind(Cache).toResolvedValue(() => new MemoryCache({ maxEntries: settings.maxEntries }));
  } else {
    container.bind(Tokens.CacheRedis).toResolvedValue(
      (logger: Logger) =>
        new RedisConnection({
          url: config.redis.url,
          logger: logger.child({ component: "cache" }),
          commandTimeoutMs: config.redis.commandTimeoutMs,
          probeMs: config.redis.probeMs,
          consequence: () => UNCACHED,
        }),
      [Logger],
    );
    container
      .bind(Cache)
      .toResolvedValue(
        (redis: RedisConnection) => new RedisCache(redis, settings.keyPrefix),
        [Tokens.CacheRedis],
      );
    container.bind(Tokens.Components).toResolvedValue(
      (redis: RedisConnection): Component => ({
        name: "cache-redis",
        start: () => redis.start(),
        stop: () => redis.stop(),
      }),
      [Tokens.CacheRedis],
    );
    // Reported, never required: without the cache every query is still answered.
    container.bind(HealthCheck).toResolvedValue(
      (redis: RedisConnection): HealthCheck => ({
        name: "cache",
        required: false,
        check: async () => {
          await redis.breaker
            .run(() => redis.client.ping())
            .catch((error: unknown) => {
              throw new Error(
                `redis unreachable, ${UNCACHED} (${error instanceof Error ? error.message : error})`,
              );
            });
        },
      }),
      [Tokens.CacheRedis],
    );
  }

  container.bind(CacheObserver).toService(Tokens.Metrics);
  container.bind(Tokens.QueryBehaviours).toResolvedValue(
    (cache: Cache, observer: CacheObserver) =>
      new CachingBehaviour(cache, observer, {
        defaultTtlS: settings.defaultTtlS,
        ttlS: settings.ttlS,
        jitter: TTL_JITTER,
      }),
    [Cache, CacheObserver],
  );
  container
    .bind(Tokens.EventHandlers)
    .toResolvedValue(
      (cache: Cache, queries: CachedQuery[] | undefined) => new CacheInvalidation(cache, queries ?? []),
      [Cache, allOf(Tokens.CachedQueries)],
    );
};
