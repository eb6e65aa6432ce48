import { randomUUID } from "node:crypto";
import type { Middleware } from "koa";
import type { Logger } from "../../../ports/logger.js";
import type { AppState } from "../app-state.js";

// A caller's id is kept only when it is short and plain, so it cannot smuggle anything into logs.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts `X-Request-ID` from the caller or makes one, echoes it, and binds it to the request's logger. */
export function requestId(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const offered = ctx.get("X-Request-ID");
    const id = ACCEPTABLE.test(offered) ? offered : randomUUID();
    ctx.state.requestId = id;
    ctx.state.logger = logger.child({ requestId: id });
    ctx.set("X-Request-ID", id);
    await next();
  };
}
