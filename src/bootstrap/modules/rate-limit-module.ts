import { memoryLimiters, redisLimiters } from "../../adapters/http/rate-limit/limiter-store.js";
import { createRateLimits, type RateLimitSettings } from "../../adapters/http/rate-limit/rate-limits.js";
import type { KeelMetrics } from "../../adapters/metrics/keel-metrics.js";
import { RedisConnection } from "../../adapters/redis/redis-connection.js";
import { HealthCheck } from "../../ports/health-check.js";
import type { LiveConfig } from "../../ports/live-config.js";
import { Logger } from "../../ports/logger.js";
import type { ConfigStore } from "../config/index.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";

/** Where keel's counters sit in Redis; a test building its own limits uses a prefix of its own. */
export const RATE_LIMIT_KEY_PREFIX = "keel:rl";

/**
 * RATE_LIMIT__STORE: counters in process, or in Redis shared by every instance. Only `serve`
 * limits requests, so only `serve` opens the Redis connection and reports it in readiness.
 */
const refusals = (metrics: KeelMetrics) => (limit: string) => metrics.rateLimited(limit);

export const rateLimitModule: Module = (container, config, role) => {
  const settings = (store: ConfigStore): LiveConfig<RateLimitSettings> => store.select((c) => c.rateLimit);
  const failingClosed = (store: ConfigStore) => () => store.get().rateLimit.onStoreFailure === "closed";

  if (config.rateLimit.store === "memory") {
    container
      .bind(Tokens.RateLimits)
      .toResolvedValue(
        (store: ConfigStore, metrics: KeelMetrics) =>
          createRateLimits(memoryLimiters(RATE_LIMIT_KEY_PREFIX), settings(store), refusals(metrics)),
        [Tokens.ConfigStore, Tokens.Metrics],
      );
    return;
  }

  container.bind(Tokens.Redis).toResolvedValue(
    (store: ConfigStore, logger: Logger) =>
      new RedisConnection({
        url: config.redis.url,
        logger: logger.child({ component: "redis" }),
        commandTimeoutMs: config.redis.commandTimeoutMs,
        probeMs: config.redis.probeMs,
        consequence: () =>
          failingClosed(store)()
            ? "rate-limited requests and logins are refused with 503"
            : "rate limits fall back to per-process counters",
      }),
    [Tokens.ConfigStore, Logger],
  );
  container
    .bind(Tokens.RateLimits)
    .toResolvedValue(
      (store: ConfigStore, redis: RedisConnection, metrics: KeelMetrics) =>
        createRateLimits(
          redisLimiters(redis.client, RATE_LIMIT_KEY_PREFIX, redis.breaker),
          settings(store),
          refusals(metrics),
        ),
      [Tokens.ConfigStore, Tokens.Redis, Tokens.Metrics],
    );
  if (role !== "serve") return;
  container.bind(Tokens.Components).toResolvedValue((redis: RedisConnection) => redis, [Tokens.Redis]);
  container
    .bind(HealthCheck)
    .toResolvedValue(
      (store: ConfigStore, redis: RedisConnection) => redis.healthCheck(failingClosed(store)),
      [Tokens.ConfigStore, Tokens.Redis],
    );
};
