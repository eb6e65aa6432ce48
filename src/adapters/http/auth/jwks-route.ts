import type { Middleware } from "koa";
import type { AccessTokens } from "../../../ports/access-tokens.js";
import type { AppState } from "../app-state.js";

export const JWKS_PATH = "/.well-known/jwks.json";

/**
 * The public keys that verify keel's access tokens (RFC 7517), for resource servers that check
 * tokens themselves. With HS256 there is no public key to give (the secret must stay secret), so
 * the path answers 404 like any unknown one.
 */
export function jwksRoute(tokens: AccessTokens): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.path !== JWKS_PATH || (ctx.method !== "GET" && ctx.method !== "HEAD")) return next();
    const keys = await tokens.jwks();
    if (keys === undefined) return next();
    // For request metrics: the one fixed path served outside a router.
    (ctx as { _matchedRoute?: string })._matchedRoute = JWKS_PATH;
    // Short caching: a rotated-in key must reach verifiers before tokens signed with it do.
    ctx.set("Cache-Control", "public, max-age=300");
    ctx.type = "application/jwk-set+json";
    ctx.body = keys;
  };
}
