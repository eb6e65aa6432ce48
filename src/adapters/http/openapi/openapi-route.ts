import type { Middleware } from "koa";
import type { AppState } from "../app-state.js";

const PATH = /^\/openapi\/(v\d+)\.json$/;

/**
 * `GET /openapi/<version>.json`: the OpenAPI document of each API version, built once at start-up
 * (so a route that cannot be described stops start-up, not the first reader). Unversioned and
 * public, like the JWKS: it describes the API, it is not part of it.
 */
export function openApiRoute(documents: Readonly<Record<string, unknown>>): Middleware<AppState> {
  const bodies = new Map(Object.entries(documents).map(([version, doc]) => [version, JSON.stringify(doc)]));
  return async (ctx, next) => {
    const version = PATH.exec(ctx.path)?.[1];
    const body = version === undefined ? undefined : bodies.get(version);
    if (body === undefined || (ctx.method !== "GET" && ctx.method !== "HEAD")) return next();
    (ctx as { _matchedRoute?: string })._matchedRoute = "/openapi/:version.json";
    ctx.set("Cache-Control", "no-cache");
    ctx.type = "application/json";
    ctx.body = body;
  };
}
