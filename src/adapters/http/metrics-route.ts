import { createHash, timingSafeEqual } from "node:crypto";
import type { Middleware } from "koa";
import type { AppState } from "./app-state.js";
import { HttpError } from "./http-error.js";

export const METRICS_PATH = "/metrics";

export interface MetricsExposition {
  exposition(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsRouteSettings {
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  readonly bearerToken: string | undefined;
}

/**
 * `GET /metrics` in Prometheus text format: unversioned and never rate limited, like the health
 * probes, since a scraper that is refused loses the very data that would explain the refusal.
 */
export function metricsRoute(
  metrics: MetricsExposition,
  settings: MetricsRouteSettings,
): Middleware<AppState> {
  const expected = settings.bearerToken === undefined ? undefined : digest(`Bearer ${settings.bearerToken}`);
  return async (ctx, next) => {
    if (ctx.path !== METRICS_PATH || (ctx.method !== "GET" && ctx.method !== "HEAD")) return next();
    (ctx as { _matchedRoute?: string })._matchedRoute = METRICS_PATH;
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (expected !== undefined && !timingSafeEqual(digest(ctx.get("Authorization")), expected)) {
      throw new HttpError(401, "UNAUTHENTICATED", "metrics need a bearer token", undefined, {
        "WWW-Authenticate": 'Bearer realm="keel-metrics"',
      });
    }
    ctx.set("Cache-Control", "no-store");
    ctx.type = metrics.contentType;
    ctx.body = await metrics.exposition();
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
