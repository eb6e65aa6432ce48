import type { Redis } from "ioredis";
import { loadWhenUsed } from "../load-when-used.js";

const ioredis = loadWhenUsed<typeof import("ioredis")>("ioredis");

import type { HealthCheck } from "../../ports/health-check.js";
import type { Logger } from "../../ports/logger.js";
import { CircuitBreaker, type CircuitChange } from "../resilience/circuit-breaker.js";

export interface RedisConnectionOptions {
  readonly url: string;
  readonly logger: Logger;
  /** How long one connection attempt may take, in ms. */
  readonly connectTimeoutMs?: number;
  /** How long one command may wait for its reply, in ms: a stalled server fails calls, never hangs them. */
  readonly commandTimeoutMs?: number;
  /** While the circuit is open, how often a PING asks whether Redis answers again, in ms. */
  readonly probeMs?: number;
  /** What an outage means for the service, said once in the warning that reports it. */
  readonly consequence?: () => string;
}

/**
 * An ioredis client that never makes a caller wait for a server that is not there: no offline
 * queue (a command while disconnected fails at once), one retry per command, bounded connect and
 * command times. It keeps reconnecting in the background, so an outage heals without a restart.
 */
export function createRedisClient(options: RedisConnectionOptions): Redis {
  return new (ioredis().Redis)(options.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 5000),
  });
}

/**
 * Whether a failed call means Redis is unhealthy. A reply error is Redis answering (a wrong type, a
 * script error): the server is fine. Anything else that is an Error — a command timeout, a closed or
 * unwritable connection — means no answer came.
 */
export function isRedisOutage(error: unknown): boolean {
  return error instanceof Error && !(error instanceof ioredis().ReplyError);
}

/**
 * The lifecycle of one Redis connection and the circuit breaker in front of it. Starting does not
 * fail when Redis is down: what an outage means is the callers' decision (rate limits fail open or
 * closed), and readiness reports it. Callers send their commands through `breaker.run`, so once one
 * command times out or the connection fails, the rest skip Redis at once instead of each waiting
 * for the command timeout (a hung server keeps its sockets open, so only timeouts tell). A PING every
 * `probeMs` closes the circuit again. Each change is logged once, not once per refused call.
 */
export class RedisConnection {
  readonly name = "redis";
  readonly client: Redis;
  readonly breaker: CircuitBreaker;

  constructor(options: RedisConnectionOptions) {
    const logger = options.logger;
    this.client = createRedisClient(options);
    const probeMs = options.probeMs ?? 1000;
    this.breaker = new CircuitBreaker({
      name: "redis",
      probe: () => this.client.ping(),
      probeMs,
      isOutage: isRedisOutage,
      onChange: (change: CircuitChange) => {
        if (change.state === "open") {
          logger.warn(
            {
              reason: change.reason,
              probeMs,
              ...(options.consequence ? { consequence: options.consequence() } : {}),
            },
            "redis unavailable; circuit open, calls skip redis until it answers a probe",
          );
        } else {
          logger.info(
            { downMs: change.openMs, probes: change.probes },
            "redis answers again; circuit closed",
          );
        }
      },
    });
    // Every failed (re)connect attempt emits this; the breaker opens on the first and ignores the rest.
    this.client.on("error", (error: Error) => this.breaker.trip(error));
  }

  /** Waits for the first connection attempt only; a failure opens the circuit (and is logged once). */
  async start(): Promise<void> {
    await this.client.connect().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.breaker.stop();
    if (this.client.status === "ready") {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }

  /**
   * Readiness reports Redis either way; `required` (read at every probe, so it may follow a live
   * setting) says whether an outage also makes the service not ready. While the circuit is open the
   * check fails at once, without a PING that would wait for the timeout.
   */
  healthCheck(required: () => boolean): HealthCheck {
    return {
      name: "redis",
      get required() {
        return required();
      },
      check: async () => {
        await this.breaker.run(() => this.client.ping());
      },
    };
  }
}
