import { Redis } from "ioredis";
import type { HealthCheck } from "../../ports/health-check.js";
import type { Logger } from "../../ports/logger.js";

export interface RedisConnectionOptions {
  readonly url: string;
  readonly logger: Logger;
  /** How long one connection attempt may take, in ms. */
  readonly connectTimeoutMs?: number;
  /** How long one command may wait for its reply, in ms: a stalled server fails calls, never hangs them. */
  readonly commandTimeoutMs?: number;
  /** What an outage means for the service, said once in the warning that reports it. */
  readonly consequence?: () => string;
}

/**
 * An ioredis client that never makes a caller wait for a server that is not there: no offline
 * queue (a command while disconnected fails at once), one retry per command, bounded connect and
 * command times. It keeps reconnecting in the background, so an outage heals without a restart.
 */
export function createRedisClient(options: RedisConnectionOptions): Redis {
  return new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 5000),
  });
}

/**
 * The lifecycle of one Redis connection. Starting does not fail when Redis is down: what an outage
 * means is the callers' decision (rate limits fail open or closed), and readiness reports it. An
 * outage is logged once when it begins and once when it ends, however many reconnects it takes.
 */
export class RedisConnection {
  readonly name = "redis";
  readonly client: Redis;
  readonly #logger: Logger;
  #down = false;

  constructor(options: RedisConnectionOptions) {
    this.client = createRedisClient(options);
    this.#logger = options.logger;
    this.client.on("error", (error: Error) => {
      if (this.#down) return;
      this.#down = true;
      this.#logger.warn(
        { err: error, ...(options.consequence ? { consequence: options.consequence() } : {}) },
        "redis unreachable; reconnecting in the background",
      );
    });
    this.client.on("ready", () => {
      if (!this.#down) return;
      this.#down = false;
      this.#logger.info({}, "redis reachable again");
    });
  }

  /** Waits for the first connection attempt only; a failure is logged by the error listener. */
  async start(): Promise<void> {
    await this.client.connect().catch(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.client.status === "ready") {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }

  /**
   * Readiness reports Redis either way; `required` (read at every probe, so it may follow a live
   * setting) says whether an outage also makes the service not ready.
   */
  healthCheck(required: () => boolean): HealthCheck {
    const client = this.client;
    return {
      name: "redis",
      get required() {
        return required();
      },
      check: async () => {
        await client.ping();
      },
    };
  }
}
