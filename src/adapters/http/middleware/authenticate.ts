import type { Middleware } from "koa";
import type { Authenticator } from "../../../application/auth/authenticator.js";
import { Unauthenticated } from "../../../application/shared/authorization.js";
import { ANONYMOUS } from "../../../application/shared/execution-context.js";
import type { AppState } from "../app-state.js";
import { HttpError } from "../http-error.js";

/** RFC 6750 section 2.1: `Bearer` then the token (base64url and a few more characters). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Turns the request's credentials into `ctx.state.principal`: an access token in
 * `Authorization: Bearer`, or an API key in `X-API-Key`; neither is an anonymous caller. Presented
 * credentials that do not check out are refused here with 401 on every route, public ones included,
 * so a client learns at once that its token expired instead of silently getting less.
 * `skip` names paths that read credentials of their own (the OAuth2 endpoints, where a client may
 * send HTTP Basic client credentials).
 */
export function authenticate(
  authenticator: Authenticator,
  skip: (path: string) => boolean,
): Middleware<AppState> {
  return async (ctx, next) => {
    if (skip(ctx.path)) return next();
    const authorization = ctx.get("Authorization");
    const apiKey = ctx.get("X-API-Key");
    if (authorization !== "" && apiKey !== "") {
      throw new HttpError(400, "AMBIGUOUS_CREDENTIALS", "send either Authorization or X-API-Key, not both");
    }
    if (apiKey !== "") {
      ctx.state.principal = await authenticator.apiKey(apiKey);
    } else if (authorization !== "") {
      const token = BEARER.exec(authorization)?.[1];
      if (token === undefined)
        throw new Unauthenticated("the Authorization header must be Bearer <access token>", true);
      ctx.state.principal = await authenticator.bearer(token);
    } else {
      ctx.state.principal = ANONYMOUS;
    }
    return next();
  };
}
