import Router from "@koa/router";
import type Koa from "koa";
import type { ParameterizedContext } from "koa";
import type { AppState } from "./app-state.js";

/** Any path no route template matches (a probe, a typo, a scanner): one label, whatever the path was. */
export const UNMATCHED = "unmatched";

/** One route as the router registers it: a method and a path template (`/api/v1/products/:id`). */
export interface RouteTemplate {
  readonly method: string;
  readonly path: string;
}

/** Each app's templates, matched only for requests the router did not dispatch (see below). */
const tables = new WeakMap<Koa<AppState>, Router<AppState>>();

const unused = () => {};

/**
 * Tells `routeTemplateOf` which templates the app serves. Called once, as the app is built; an app
 * never told (the worker's probes) labels what its own stages name and nothing else.
 */
export function recognizeRoutes(app: Koa<AppState>, templates: readonly RouteTemplate[]): void {
  // A router of its own, never mounted: the same path-to-regexp rules as the routers that dispatch.
  const router = new Router<AppState>();
  for (const { method, path } of templates) router.register(path, [method], unused);
  tables.set(app, router);
}

/**
 * The route template a request is for (`/api/v1/products/:id`), or `unmatched`: a label for metrics
 * and traces that never carries ids or raw paths. Ask once the request has been answered (after
 * `await next()`), when the router and the API version stage have had their say:
 * - the router dispatched it: the template it matched (`_matchedRoute`, also set by the stages that
 *   serve a fixed path of their own, such as /metrics and the JWKS);
 * - a stage refused it before routing (401, 429, 503) or no route takes its method (405, and 204 for
 *   OPTIONS): the template its path matches, whatever the method. A header-versioned path
 *   (`/api/products` with `X-API-Version: v1`) has been rewritten by then, so this is the versioned
 *   template (`/api/v1/products`).
 * Cheap where it matters: a dispatched request costs a property read; only the others are matched,
 * against the app's templates.
 */
export function routeTemplateOf(ctx: ParameterizedContext<AppState>): string {
  const dispatched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  if (typeof dispatched === "string") return dispatched;
  const router = tables.get(ctx.app as Koa<AppState>);
  if (router === undefined) return UNMATCHED;
  const { path, pathAndMethod } = router.match(ctx.path, ctx.method);
  // Where two templates match (`/users/me`, `/users/:id`) the router runs the first registered, and
  // its handler answers: the same one here.
  const template = (pathAndMethod[0] ?? path[0])?.path;
  return typeof template === "string" ? template : UNMATCHED;
}
