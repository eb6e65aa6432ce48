import { RateLimiterRes } from "rate-limiter-flexible";
import type { LiveConfig } from "../../../ports/live-config.js";
import type { Limiter } from "./limiter.js";
import type { Limit, LimiterStore, OnStoreFailure } from "./limiter-store.js";
import { RateLimitUnavailable } from "./rate-limited.js";

/** One key's standing against one limit. */
export interface Standing {
  /** False when this request went over the limit. */
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Until the key's window ends and its counter resets, in ms. */
  readonly resetMs: number;
}

export interface LimiterSettings {
  readonly onStoreFailure: OnStoreFailure;
}

/**
 * One named limit whose points, window and failure mode follow live config: a reload that changes
 * them rebuilds the limiter. Redis counters carry over (they live in Redis); in-process counters
 * start again. A store failure that is not absorbed (failing closed) becomes RateLimitUnavailable.
 */
export class LiveLimiter<S extends LimiterSettings> {
  #limiter: Limiter;

  constructor(
    private readonly store: LimiterStore,
    private readonly name: string,
    settings: LiveConfig<S>,
    private readonly limitOf: (settings: S) => Limit,
    /** Told of each request this limit refuses (the metrics count them by limit name). */
    private readonly onRefused: () => void = () => {},
  ) {
    this.#limiter = this.build(settings.get());
    settings.subscribe((next, previous) => {
      const [after, before] = [limitOf(next), limitOf(previous)];
      if (
        after.points !== before.points ||
        after.windowS !== before.windowS ||
        next.onStoreFailure !== previous.onStoreFailure
      ) {
        this.#limiter = this.build(next);
      }
    });
  }

  /** Counts one request; `allowed` is false once the key is over its limit. */
  async consume(key: string): Promise<Standing> {
    const limiter = this.#limiter;
    try {
      return standing(limiter, await limiter.consume(key), true);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        this.onRefused();
        return standing(limiter, error, false);
      }
      throw new RateLimitUnavailable({ cause: error });
    }
  }

  /** Counts one point against the key without refusing anything (a failed login). */
  async penalise(key: string): Promise<void> {
    await this.call(() => this.#limiter.penalty(key));
  }

  /** The key's standing without counting; `allowed` is false when it has no points left. */
  async peek(key: string): Promise<Standing> {
    const limiter = this.#limiter;
    const res = await this.call(() => limiter.get(key));
    if (res === null) return { allowed: true, limit: limiter.points, remaining: limiter.points, resetMs: 0 };
    return standing(limiter, res, res.consumedPoints < limiter.points);
  }

  /** Gives one point back (an attempt that turned out well). */
  async reward(key: string): Promise<void> {
    await this.call(() => this.#limiter.reward(key, 1));
  }

  /** Forgets the key's counter. */
  async reset(key: string): Promise<void> {
    await this.call(() => this.#limiter.delete(key));
  }

  private build(settings: S): Limiter {
    return this.store.create(this.name, this.limitOf(settings), settings.onStoreFailure);
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new RateLimitUnavailable({ cause: error });
    }
  }
}

function standing(limiter: Limiter, res: RateLimiterRes, allowed: boolean): Standing {
  return {
    allowed,
    limit: limiter.points,
    remaining: Math.max(limiter.points - res.consumedPoints, 0),
    resetMs: Math.max(res.msBeforeNext, 0),
  };
}
