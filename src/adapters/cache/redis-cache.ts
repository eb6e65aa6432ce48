import type { Cache, Json } from "../../ports/cache.js";
import { DependencyUnavailable } from "../../ports/dependency-unavailable.js";
import type { RedisConnection } from "../redis/redis-connection.js";
import { isRedisOutage } from "../redis/redis-connection.js";
import { CircuitOpen } from "../resilience/circuit-breaker.js";

/**
 * The cache in Redis, shared by every instance, under `<prefix>:<key>`. Every command goes through
 * the connection's circuit breaker: once Redis has failed to answer (the client's command timeout
 * bounds the wait, and there is no offline queue), calls fail at once until a probe succeeds, so an
 * outage costs one timeout, not one per query. Failures surface as DependencyUnavailable("cache").
 */
export class RedisCache implements Cache {
  constructor(
    private readonly redis: Pick<RedisConnection, "client" | "breaker">,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<Json | undefined> {
    const text = await this.call(() => this.redis.client.get(this.keyOf(key)));
    return text === null ? undefined : (JSON.parse(text) as Json);
  }

  async set(key: string, value: Json, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) {
      await this.delete([key]);
      return;
    }
    await this.call(() =>
      this.redis.client.set(this.keyOf(key), JSON.stringify(value), "PX", Math.ceil(ttlMs)),
    );
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call(() => this.redis.client.del(...keys.map((key) => this.keyOf(key))));
  }

  private keyOf(key: string): string {
    return `${this.prefix}:${key}`;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await this.redis.breaker.run(command);
    } catch (error) {
      if (error instanceof CircuitOpen || isRedisOutage(error))
        throw new DependencyUnavailable("cache", 1, { cause: error });
      throw error;
    }
  }
}
