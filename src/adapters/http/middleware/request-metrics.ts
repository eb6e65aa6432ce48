import type { Middleware } from "koa";
import type { AppState } from "../app-state.js";

export interface RequestObserver {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** Any path no route matched (a probe, a typo, a scanner): one label, whatever the path was. */
export const UNMATCHED = "unmatched";

/** Methods Koa routes; anything else (PROPFIND, made-up verbs) shares one label. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * RED per route template: counts and times every request, labelled with the template the router
 * matched (`/api/v1/products/:id`), never the raw path, so ids and unknown paths add no series. Placed
 * above the error mapper: the status it sees is the one sent, errors included.
 */
export function requestMetrics(observer: RequestObserver): Middleware<AppState> {
  return async (ctx, next) => {
    const started = performance.now();
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } finally {
      // @koa/router sets it once a route matched; the health and metrics stages route on their own.
      const route = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
      observer.observeRequest(
        METHODS.has(ctx.method) ? ctx.method : "OTHER",
        typeof route === "string" ? route : UNMATCHED,
        status,
        (performance.now() - started) / 1000,
      );
    }
  };
}
