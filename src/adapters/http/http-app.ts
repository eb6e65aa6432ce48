import type { Tracer } from "@opentelemetry/api";
import Koa from "koa";
import type { Authenticator } from "../../application/auth/authenticator.js";
import type { PermissionCatalog } from "../../application/shared/permissions.js";
import type { AccessTokens } from "../../ports/access-tokens.js";
import type { LiveConfig } from "../../ports/live-config.js";
import type { Logger } from "../../ports/logger.js";
import { apiRouter, apiRouteTemplates, type Buses } from "./api-router.js";
import type { AppState } from "./app-state.js";
import { jwksRoute } from "./auth/jwks-route.js";
import { isOAuthEndpoint, oauthRefusals, oauthRoutes, oauthRouteTemplates } from "./auth/oauth-routes.js";
import { docsRoutes, isDocsPath } from "./docs/docs-routes.js";
import type { SwaggerUiAssets } from "./docs/swagger-ui-assets.js";
import { healthRoutes, type Readiness } from "./health-routes.js";
import { atStage, type StagedMiddleware } from "./http-stages.js";
import type { IdempotencySettings } from "./idempotency.js";
import { type MetricsExposition, type MetricsRouteSettings, metricsRoute } from "./metrics-route.js";
import { accessLog } from "./middleware/access-log.js";
import { type ApiVersionSettings, apiVersion } from "./middleware/api-version.js";
import { authenticate } from "./middleware/authenticate.js";
import { type CorsSettings, corsPolicy } from "./middleware/cors.js";
import { errorMapper } from "./middleware/error-mapper.js";
import { jsonBody } from "./middleware/json-body.js";
import { requestId } from "./middleware/request-id.js";
import { type RequestObserver, requestMetrics } from "./middleware/request-metrics.js";
import { securityHeaders } from "./middleware/security-headers.js";
import { serverSpans } from "./middleware/server-spans.js";
import { startingGate } from "./middleware/starting-gate.js";
import { openApiRoute } from "./openapi/openapi-route.js";
import type { RateLimits } from "./rate-limit/rate-limits.js";
import type { ApiVersion } from "./route.js";
import { recognizeRoutes } from "./route-template.js";

export interface HttpAppOptions {
  readonly versions: readonly ApiVersion[];
  readonly buses: Buses;
  readonly logger: Logger;
  readonly readiness: Readiness;
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean;
  /** How many X-Forwarded-For entries, from the right, our own proxies wrote. */
  readonly proxyHops: number;
  readonly cors: LiveConfig<CorsSettings>;
  readonly api: LiveConfig<ApiVersionSettings>;
  readonly authenticator: Authenticator;
  readonly accessTokens: AccessTokens;
  /** Every permission the service knows: the token endpoint names only these back. */
  readonly permissions: PermissionCatalog;
  /** Where routes taking an Idempotency-Key keep their answers, and for how long. */
  readonly idempotency: IdempotencySettings;
  /** Per-request limits (client address, and principal once authenticated) and the login throttle. */
  readonly rateLimits: RateLimits;
  readonly metrics: Metrics;
  /** When tracing is on: a SERVER span per request, outermost. */
  readonly tracer?: Tracer;
  /** When docs are on: each version's OpenAPI document (/openapi/<version>.json) and Swagger UI (/docs). */
  readonly docs?: Docs;
  /** Middleware contributed at the named stages (http-stages.ts), by plugins. */
  readonly middleware?: readonly StagedMiddleware[];
}

export interface Docs {
  readonly documents: Readonly<Record<string, unknown>>;
  readonly swaggerUi: SwaggerUiAssets;
}

/** What both apps measure requests with, and whether and how they expose `/metrics`. */
export interface Metrics {
  readonly registry: RequestObserver & MetricsExposition;
  readonly endpoint: (MetricsRouteSettings & { readonly enabled: true }) | { readonly enabled: false };
}

function metricsStages(metrics: Metrics): {
  measure: Koa.Middleware<AppState>;
  expose: Koa.Middleware<AppState>[];
} {
  return {
    measure: requestMetrics(metrics.registry),
    expose: metrics.endpoint.enabled ? [metricsRoute(metrics.registry, metrics.endpoint)] : [],
  };
}

/**
 * The Koa application. Middleware order matters and is, outermost first:
 * 0. the request's span, when tracing — everything below, log lines included, falls inside it;
 * 1. request id — every later stage and log line can name the request;
 * 2. access log and request metrics — see the final status, including mapped errors, and the route
 *    template of the request (routeTemplateOf: matched by the router below, or by path alone when
 *    a stage refused it before routing);
 * 3. security headers (the API's, or the docs page's on /docs) and 4. CORS — set before anything
 *    can fail, so errors carry them too;
 * 5. error mapper — everything below throws, this turns it into the envelope; then the contributed
 *    middleware of the `request` stage;
 * 6. health probes and /metrics — answered even while starting, unversioned, never rate limited;
 * 7. the starting gate — 503 until every component has started — then the JWKS, the OpenAPI
 *    documents and the docs page, unversioned, public, never rate limited (on the OAuth2 endpoints,
 *    the gate's and the rate limits' refusals are answered in OAuth2's format: oauthRefusals);
 * 8. API version — resolves and validates the version, rewrites header-versioned paths;
 * 9. authentication — credentials to `ctx.state.principal`, 401 for bad ones (not on the OAuth2
 *    endpoints, which take client credentials of their own);
 * 10. rate limits — per client address, and per principal when there is one;
 * 11. the OAuth2 endpoints — form bodies and OAuth2 replies, with the login throttle; then the
 *    contributed middleware of the `authenticated` stage;
 * 12. JSON body — media type, size limit, parsing; then the `routes` stage's;
 * 13. the routes (a path that matches with another method is a 405 with Allow); the error mapper
 *    turns anything left unanswered into a 404 envelope.
 */
export function createHttpApp(options: HttpAppOptions): Koa<AppState> {
  // Only the rightmost entries were written by proxies we run; anything left of them came from the
  // client and could be forged to dodge per-address rate limits.
  const app = new Koa<AppState>({ proxy: options.trustProxy, maxIpsCount: options.proxyHops });
  // Errors are logged once by the error mapper; Koa's own handler would print stacks to stderr.
  app.silent = true;
  // What requests refused before routing are labelled with (routeTemplateOf).
  recognizeRoutes(app, [
    ...apiRouteTemplates(options.versions),
    ...oauthRouteTemplates(options.versions.map((v) => v.name)),
  ]);
  const { measure, expose } = metricsStages(options.metrics);
  const contributed = (stage: Parameters<typeof atStage>[1]) => atStage(options.middleware ?? [], stage);
  const stages = [
    ...(options.tracer === undefined ? [] : [serverSpans(options.tracer)]),
    requestId(options.logger),
    accessLog(),
    measure,
    securityHeaders(options.docs === undefined ? () => false : isDocsPath),
    corsPolicy(options.cors),
    errorMapper(),
    ...contributed("request"),
    ...healthRoutes(options.readiness),
    ...expose,
    oauthRefusals(),
    startingGate(() => options.readiness.phase() === "starting"),
    jwksRoute(options.accessTokens),
    ...(options.docs === undefined ? [] : docsStages(options.docs, options)),
    apiVersion(
      options.versions.map((v) => v.name),
      options.api,
    ),
    authenticate(options.authenticator, isOAuthEndpoint),
    options.rateLimits.perRequest,
    oauthRoutes(
      options.versions.map((v) => v.name),
      options.buses,
      options.rateLimits.login,
      options.permissions,
    ),
    ...contributed("authenticated"),
    jsonBody(options.bodyLimitBytes),
    ...contributed("routes"),
    ...apiRouter(options.versions, options.buses, options.rateLimits.expensive, options.idempotency),
  ];
  for (const stage of stages) app.use(stage as Koa.Middleware<AppState>);
  return app;
}

function docsStages(docs: Docs, options: HttpAppOptions): Koa.Middleware<AppState>[] {
  return [
    openApiRoute(docs.documents),
    docsRoutes({
      assets: docs.swaggerUi,
      versions: Object.keys(docs.documents),
      defaultVersion: options.api.get().defaultVersion,
    }),
  ];
}

/** The worker's probes and metrics: the same health routes, /metrics and envelope, no API. */
export function createHealthApp(options: {
  readonly logger: Logger;
  readonly readiness: Readiness;
  readonly metrics: Metrics;
}): Koa<AppState> {
  const app = new Koa<AppState>();
  app.silent = true;
  const { measure, expose } = metricsStages(options.metrics);
  for (const stage of [
    requestId(options.logger),
    measure,
    errorMapper(),
    ...healthRoutes(options.readiness),
    ...expose,
  ]) {
    app.use(stage as Koa.Middleware<AppState>);
  }
  return app;
}
