import type { Middleware } from "koa";
import type { AppState } from "../app-state.js";
import { HttpError } from "../http-error.js";

/**
 * While the process is still starting (the port is bound before the database, the broker and the
 * background work are up, so a port in use fails at once), API requests get a 503 with Retry-After
 * rather than reaching components that are not ready. Health probes are answered before this stage.
 */
export function startingGate(starting: () => boolean): Middleware<AppState> {
  return (_ctx, next) => {
    if (!starting()) return next();
    throw new HttpError(503, "STARTING", "keel is starting; retry shortly", undefined, {
      "Retry-After": "1",
    });
  };
}
