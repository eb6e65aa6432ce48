import type { Middleware } from "koa";
import type { AppState } from "../app-state.js";
import { routeTemplateOf } from "../route-template.js";

export interface RequestObserver {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** Methods Koa routes; anything else (PROPFIND, made-up verbs) shares one label. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * RED per route template: counts and times every request, labelled with its route template
 * (`/api/v1/products/:id`, see routeTemplateOf), never the raw path, so ids and unknown paths add no
 * series; a request refused before routing (401, 429) counts under the template of its path. Placed
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
      observer.observeRequest(
        METHODS.has(ctx.method) ? ctx.method : "OTHER",
        routeTemplateOf(ctx),
        status,
        (performance.now() - started) / 1000,
      );
    }
  };
}
