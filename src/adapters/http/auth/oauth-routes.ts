import { bodyParser } from "@koa/bodyparser";
import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import {
  InvalidCredentials,
  RefreshTokenRejected,
  ScopeNotGranted,
} from "../../../application/auth/auth-errors.js";
import { RefreshSession } from "../../../application/auth/refresh-session.js";
import { RevokeRefreshToken } from "../../../application/auth/revoke-refresh-token.js";
import type { TokenGrant } from "../../../application/auth/sessions.js";
import { SignInWithPassword } from "../../../application/auth/sign-in-with-password.js";
import { ANONYMOUS, type ExecutionContext } from "../../../application/shared/execution-context.js";
import type { PermissionCatalog } from "../../../application/shared/permissions.js";
import { DependencyUnavailable } from "../../../ports/dependency-unavailable.js";
import type { Buses } from "../api-router.js";
import type { AppState } from "../app-state.js";
import { HttpError } from "../http-error.js";
import type { LoginThrottle } from "../rate-limit/login-throttle.js";
import { RateLimited, RateLimitUnavailable, STORE_RETRY_AFTER_S } from "../rate-limit/rate-limited.js";
import type { RouteTemplate } from "../route-template.js";

/** The OAuth2 endpoints, under every API version (`/api/v1/auth/token`, ...). */
const ENDPOINT = /^\/api\/v\d+\/auth\/(token|revoke)$/;

export function isOAuthEndpoint(path: string): boolean {
  return ENDPOINT.test(path);
}

type OAuthEndpoint = "token" | "revoke";

function oauthPath(version: string, endpoint: OAuthEndpoint): string {
  return `/api/${version}/auth/${endpoint}`;
}

/** The endpoints as their router registers them (POST only: other methods are answered apart). */
export function oauthRouteTemplates(versions: readonly string[]): RouteTemplate[] {
  return versions.flatMap((version) =>
    (["token", "revoke"] as const).map((endpoint) => ({
      method: "POST",
      path: oauthPath(version, endpoint),
    })),
  );
}

/** RFC 6749 section 5.2 error codes, plus 429 for throttled logins (no RFC code exists for it). */
type OAuthErrorCode =
  | "invalid_request"
  | "invalid_grant"
  | "invalid_scope"
  | "unsupported_grant_type"
  | "too_many_requests"
  | "temporarily_unavailable";

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description);
  }
}

/**
 * `POST /api/<version>/auth/token` (RFC 6749: the password and refresh_token grants) and
 * `POST /api/<version>/auth/revoke` (RFC 7009). They speak OAuth2, not keel's envelope: form-encoded
 * requests, `{ access_token, ... }` or `{ error, error_description }` bodies, `Cache-Control: no-store`,
 * because that is what OAuth2 client libraries send and parse. Clients are public (keel keeps no
 * client registry), so client credentials, if sent, are ignored.
 */
export function oauthRoutes(
  versions: readonly string[],
  buses: Buses,
  throttle: LoginThrottle,
  permissions: PermissionCatalog,
): Middleware<AppState> {
  const router = new Router<AppState>();
  const oauth = (parse: Middleware, handler: OAuthHandler) =>
    oauthEndpoint(parse, handler, (error) => toOAuthError(error, permissions));
  const parseForm = bodyParser({ enableTypes: ["form"], formLimit: "16kb" });
  const paths = (endpoint: OAuthEndpoint) => versions.map((version) => oauthPath(version, endpoint));

  router.post(
    paths("token"),
    oauth(parseForm, async (ctx, form) => {
      const context: ExecutionContext = { principal: ANONYMOUS, correlationId: ctx.state.requestId };
      const grantType = form.required("grant_type");
      const scopes = (form.optional("scope") ?? "").split(" ").filter((scope) => scope !== "");
      let grant: TokenGrant;
      if (grantType === "password") {
        grant = await passwordGrant(ctx, form, scopes, context);
      } else if (grantType === "refresh_token") {
        grant = await buses.commands.dispatch(
          new RefreshSession(context, { refreshToken: form.required("refresh_token"), scopes }),
        );
      } else {
        // The value is not repeated: a client that glued its credentials into it would get them back.
        throw new OAuthError(400, "unsupported_grant_type", "grant_type must be password or refresh_token");
      }
      ctx.body = {
        access_token: grant.accessToken,
        token_type: "bearer",
        expires_in: grant.expiresIn,
        refresh_token: grant.refreshToken,
        scope: grant.scopes.join(" "),
      };
    }),
  );

  router.post(
    paths("revoke"),
    oauth(parseForm, async (ctx, form) => {
      const context: ExecutionContext = { principal: ANONYMOUS, correlationId: ctx.state.requestId };
      await buses.commands.dispatch(new RevokeRefreshToken(context, form.required("token")));
      // RFC 7009 section 2.2: 200 whether or not the token was known, so its validity is not revealed.
      ctx.body = {};
    }),
  );

  async function passwordGrant(
    ctx: Context,
    form: Form,
    scopes: readonly string[],
    context: ExecutionContext,
  ): Promise<TokenGrant> {
    const username = form.required("username");
    const password = form.required("password");
    // Counted before the password is checked, so parallel guesses cannot outrun the count.
    await throttle.attempt(username, ctx.ip);
    let grant: TokenGrant;
    try {
      grant = await buses.commands.dispatch(new SignInWithPassword(context, { username, password, scopes }));
    } catch (error) {
      // No password was judged: the attempt must not count towards locking the account out. The
      // refund is best effort; what the client is told about is the outage.
      if (error instanceof DependencyUnavailable)
        await throttle.refund(username, ctx.ip).catch(() => undefined);
      throw error;
    }
    await throttle.succeeded(username, ctx.ip);
    return grant;
  }

  const routes = router.routes() as Middleware<AppState>;
  return (ctx, next) => {
    if (!isOAuthEndpoint(ctx.path)) return next();
    if (ctx.method === "POST") return routes(ctx, next);
    return otherMethod(ctx);
  };
}

/**
 * The refusals of the stages in front of the endpoints — the general rate limit (429, or 503 when its
 * store is down and limits fail closed) and the starting gate (503) — in OAuth2's format on these
 * paths, like every other answer of theirs: a client library reads `error`, and keel's envelope has
 * none. Placed in front of those stages; any other error passes on to the error mapper as it is.
 */
export function oauthRefusals(): Middleware<AppState> {
  return async (ctx, next) => {
    if (!isOAuthEndpoint(ctx.path)) return next();
    try {
      await next();
    } catch (error) {
      if (!(error instanceof HttpError) || (error.status !== 429 && error.status !== 503)) throw error;
      ctx.status = error.status;
      for (const [name, value] of Object.entries(error.headers ?? {})) ctx.set(name, value);
      ctx.set("Cache-Control", "no-store");
      ctx.set("Pragma", "no-cache");
      ctx.body = {
        error: error.status === 429 ? "too_many_requests" : "temporarily_unavailable",
        error_description: error.message,
      };
    }
  };
}

/**
 * The endpoints take POST only (RFC 6749 section 3.2, RFC 7009 section 2.1). Any other method is a
 * 405 in OAuth2's own error format, like every other answer of these endpoints; a plain OPTIONS is
 * a 204, as on the rest of the API. Either way `Allow` says what would do.
 */
function otherMethod(ctx: Context): void {
  ctx.set("Allow", "POST");
  ctx.set("Cache-Control", "no-store");
  if (ctx.method === "OPTIONS") {
    ctx.status = 204;
    return;
  }
  ctx.status = 405;
  ctx.body = { error: "invalid_request", error_description: "this endpoint takes POST only" };
}

/**
 * Scopes are the client's own text: only known permission names are named back; the rest are
 * counted, so neither a long nor a sensitive value is ever echoed.
 */
function describeScopes(scopes: readonly string[], permissions: PermissionCatalog): string {
  const known = scopes.filter((scope) => permissions.has(scope));
  const unknown = scopes.length - known.length;
  return [
    ...known,
    ...(unknown === 0
      ? []
      : [`${unknown} ${unknown === 1 ? "scope that names" : "scopes that name"} no permission`]),
  ].join(", ");
}

interface Form {
  required(name: string): string;
  optional(name: string): string | undefined;
}

type OAuthHandler = (ctx: Context & { state: AppState }, form: Form) => Promise<void>;

function oauthEndpoint(
  parseForm: Middleware,
  handle: OAuthHandler,
  refusalOf: (error: unknown) => OAuthError | undefined,
): Middleware<AppState> {
  return async (ctx) => {
    ctx.set("Cache-Control", "no-store");
    ctx.set("Pragma", "no-cache");
    try {
      if (!ctx.is("application/x-www-form-urlencoded")) {
        throw new OAuthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
      }
      await parseForm(ctx, async () => {});
      await handle(ctx, readForm(ctx.request.body));
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === undefined) throw error;
      ctx.status = refusal.status;
      for (const [name, value] of Object.entries(refusal.headers)) ctx.set(name, value);
      ctx.body = { error: refusal.error, error_description: refusal.description };
    }
  };
}

function readForm(body: unknown): Form {
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const value = (name: string): string | undefined => {
    const raw = fields[name];
    if (raw === undefined || raw === "") return undefined;
    // RFC 6749 section 3.2: parameters must not repeat.
    if (typeof raw !== "string") throw new OAuthError(400, "invalid_request", `${name} must be sent once`);
    return raw;
  };
  return {
    optional: value,
    required: (name) => {
      const found = value(name);
      if (found === undefined) throw new OAuthError(400, "invalid_request", `${name} is required`);
      return found;
    },
  };
}

function toOAuthError(error: unknown, permissions: PermissionCatalog): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  if (error instanceof InvalidCredentials) return new OAuthError(400, "invalid_grant", error.message);
  if (error instanceof RefreshTokenRejected) return new OAuthError(400, "invalid_grant", error.message);
  if (error instanceof ScopeNotGranted)
    return new OAuthError(
      400,
      "invalid_scope",
      `the account does not hold ${describeScopes(error.scopes, permissions)}`,
    );
  if (error instanceof RateLimited) {
    return new OAuthError(429, "too_many_requests", "too many failed sign-ins; try again later", {
      ...error.headers,
      "Retry-After": String(error.retryAfterSeconds),
    });
  }
  if (error instanceof RateLimitUnavailable) {
    return new OAuthError(503, "temporarily_unavailable", "sign-in is unavailable; try again later", {
      "Retry-After": String(STORE_RETRY_AFTER_S),
    });
  }
  if (error instanceof DependencyUnavailable) {
    return new OAuthError(503, "temporarily_unavailable", "sign-in is unavailable; try again later", {
      "Retry-After": String(error.retryAfterSeconds),
    });
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 413) return new OAuthError(413, "invalid_request", "the request body is too large");
  if (status === 400) return new OAuthError(400, "invalid_request", "the request body is not valid");
  return undefined;
}
