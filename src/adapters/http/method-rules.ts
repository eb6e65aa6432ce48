import type Router from "@koa/router";
import type { Middleware } from "koa";
import type { AppState } from "./app-state.js";
import { HttpError } from "./http-error.js";

/**
 * What a request whose method no route takes is answered, after the routes had their turn:
 * - a path some route serves: `OPTIONS` is 204 with `Allow` and no body; any other method, known to
 *   HTTP or not (`DELETE`, `TRACE`, `PROPFIND`, `QUERY`), is 405 `METHOD_NOT_ALLOWED` with `Allow`;
 * - a path no route serves: a method keel serves somewhere is left to the 404 of the error mapper,
 *   one it serves nowhere is 501 `NOT_IMPLEMENTED`.
 * Each of these is the client's mistake, not keel's, and is logged as such: by the access log at info.
 */
export function methodRules(router: Router<AppState>): Middleware<AppState> {
  return async (ctx, next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    const served = methodsAt(router, ctx.path);
    if (served.length === 0) {
      if (!router.methods.includes(ctx.method)) {
        throw new HttpError(501, "NOT_IMPLEMENTED", `${ctx.method} is not a method keel serves`);
      }
      return;
    }
    const allow = [...served, "OPTIONS"].join(", ");
    if (ctx.method === "OPTIONS") {
      ctx.status = 204;
      ctx.set("Allow", allow);
      return;
    }
    throw new HttpError(
      405,
      "METHOD_NOT_ALLOWED",
      `${ctx.method} ${ctx.path} is not allowed; allowed: ${allow}`,
      undefined,
      { Allow: allow },
    );
  };
}

/** The methods the routes at this path take (GET brings HEAD), in the router's order. */
function methodsAt(router: Router<AppState>, path: string): string[] {
  const methods = new Set(router.match(path, "GET").path.flatMap((layer) => layer.methods));
  methods.delete("OPTIONS");
  return router.methods.filter((method) => methods.has(method));
}
