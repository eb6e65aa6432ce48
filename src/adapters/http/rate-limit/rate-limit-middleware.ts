import type { Middleware } from "koa";
import type { Principal } from "../../../application/shared/execution-context.js";
import type { AppState } from "../app-state.js";
import { clientKey } from "./client-ip.js";
import type { LimiterSettings, LiveLimiter, Standing } from "./live-limiter.js";
import { RateLimited, RateLimitUnavailable, rateLimitHttpError } from "./rate-limited.js";

export interface RateLimitOptions<S extends LimiterSettings> {
  /** Read on every request, so turning limits off (or on) applies at once. */
  readonly enabled: () => boolean;
  /** Every request, by client address (X-Forwarded-For only when the proxy is trusted). */
  readonly ip: LiveLimiter<S>;
  /** Requests of a signed-in user or an API key, wherever they come from. */
  readonly principal: LiveLimiter<S>;
}

/**
 * Counts each request against its client address and, when authentication found one, its
 * principal. Answers carry the IETF draft headers of the tighter limit (RateLimit-Limit,
 * RateLimit-Remaining, RateLimit-Reset in seconds); over either limit is a 429 with Retry-After.
 */
export function rateLimit<S extends LimiterSettings>(options: RateLimitOptions<S>): Middleware<AppState> {
  return async (ctx, next) => {
    if (!options.enabled()) return next();
    const who = principalKey(ctx.state.principal);
    ctx.set(
      await enforce([
        options.ip.consume(clientKey(ctx.ip)),
        ...(who === undefined ? [] : [options.principal.consume(who)]),
      ]),
    );
    await next();
  };
}

/**
 * One more limit per client address, for the routes it guards only; a refusal is a 429 like the
 * general limit's. The general limit's headers stay on answers that pass.
 */
export function addressLimit<S extends LimiterSettings>(options: {
  readonly enabled: () => boolean;
  readonly limiter: LiveLimiter<S>;
}): Middleware<AppState> {
  return async (ctx, next) => {
    if (!options.enabled()) return next();
    await enforce([options.limiter.consume(clientKey(ctx.ip))]);
    await next();
  };
}

/**
 * Waits for the counts; over any limit is a 429 with Retry-After, a store that cannot be reached
 * (when failing closed) a 503. Returns the RateLimit-* headers of the tightest limit.
 */
async function enforce(counts: readonly Promise<Standing>[]): Promise<Record<string, string>> {
  let standings: Standing[];
  try {
    standings = await Promise.all(counts);
  } catch (error) {
    // Not logged here: the connection logs the outage once as its circuit opens, and the error
    // mapper writes one line per window for the refusals, not one per refused request.
    if (error instanceof RateLimitUnavailable) throw rateLimitHttpError(error);
    throw error;
  }
  const binding = tightest(standings);
  const headers = {
    "RateLimit-Limit": String(binding.limit),
    "RateLimit-Remaining": String(binding.remaining),
    "RateLimit-Reset": String(seconds(binding.resetMs)),
  };
  if (!binding.allowed) throw rateLimitHttpError(new RateLimited(seconds(binding.resetMs), headers));
  return headers;
}

/** Users and API keys have budgets of their own; anonymous callers have only their address's. */
function principalKey(principal: Principal | undefined): string | undefined {
  switch (principal?.kind) {
    case "user":
      return `user:${principal.userId}`;
    case "apiKey":
      return `apiKey:${principal.keyId}`;
    default:
      return undefined;
  }
}

/** A refusing limit first (the one that frees up last), otherwise the one with least left. */
function tightest(standings: readonly Standing[]): Standing {
  return standings.reduce((a, b) => {
    if (a.allowed !== b.allowed) return a.allowed ? b : a;
    if (!a.allowed) return b.resetMs > a.resetMs ? b : a;
    return b.remaining < a.remaining ? b : a;
  });
}

/** Whole seconds, rounded up, and at least one: a client told 0 would retry at once. */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
