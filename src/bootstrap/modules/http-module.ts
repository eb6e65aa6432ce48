import type Koa from "koa";
import type { Buses } from "../../adapters/http/api-router.js";
import { loadSwaggerUiAssets } from "../../adapters/http/docs/swagger-ui-assets.js";
import { createHttpApp, type Metrics } from "../../adapters/http/http-app.js";
import { HttpServer } from "../../adapters/http/http-server.js";
import type { StagedMiddleware } from "../../adapters/http/http-stages.js";
import { openApiDocument } from "../../adapters/http/openapi/openapi-document.js";
import type { RateLimits } from "../../adapters/http/rate-limit/rate-limits.js";
import type { ApiVersion, RouteDefinition } from "../../adapters/http/route.js";
import type { KeelMetrics } from "../../adapters/metrics/keel-metrics.js";
import type { KeelTracing } from "../../adapters/tracing/keel-tracing.js";
import type { Authenticator } from "../../application/auth/authenticator.js";
import { type PermissionCatalog, Permissions } from "../../application/shared/permissions.js";
import type { AccessTokens } from "../../ports/access-tokens.js";
import { AccessTokens as AccessTokensToken } from "../../ports/access-tokens.js";
import { Clock } from "../../ports/clock.js";
import type { HealthCheck, LivenessCheck } from "../../ports/health-check.js";
import {
  HealthCheck as HealthCheckToken,
  LivenessCheck as LivenessCheckToken,
} from "../../ports/health-check.js";
import { IdempotencyKeys } from "../../ports/idempotency-keys.js";
import { Logger } from "../../ports/logger.js";
import type { AppConfig, ConfigStore } from "../config/index.js";
import type { Lifecycle } from "../lifecycle.js";
import { serviceVersion } from "../service-version.js";
import { Tokens } from "../tokens.js";
import { allOf, ifBound } from "./all-of.js";
import type { HandlerRegistration } from "./handler-registration.js";
import type { Module } from "./module.js";

/** Routes a context contributes to one API version (multi-bound under Tokens.ApiRoutes). */
export interface VersionedRoutes {
  readonly version: string;
  readonly routes: readonly RouteDefinition[];
}

/** The Koa application and the server that listens for it. */
export const httpModule: Module = (container, config) => {
  container.bind(Tokens.HttpApp).toResolvedValue(
    (
      store: ConfigStore,
      logger: Logger,
      commands: Buses["commands"],
      queries: Buses["queries"],
      lifecycle: Lifecycle,
      routes: VersionedRoutes[] | undefined,
      checks: HealthCheck[] | undefined,
      liveness: LivenessCheck[] | undefined,
      rateLimits: RateLimits,
      authenticator: Authenticator,
      accessTokens: AccessTokens,
      metrics: KeelMetrics,
      tracing: KeelTracing | undefined,
      documents: Readonly<Record<string, unknown>>,
      permissions: PermissionCatalog,
      idempotencyKeys: IdempotencyKeys,
      clock: Clock,
      middleware: StagedMiddleware[] | undefined,
    ) =>
      createHttpApp({
        versions: byVersion(routes ?? []),
        buses: { commands, queries },
        logger,
        readiness: {
          checks: checks ?? [],
          liveness: liveness ?? [],
          phase: () => lifecycle.phase,
          timeoutMs: 2000,
        },
        bodyLimitBytes: config.http.bodyLimitBytes,
        trustProxy: config.http.trustProxy,
        proxyHops: config.http.proxyHops,
        cors: store.select((c) => ({ origins: c.http.cors.origins })),
        api: store.select((c) => ({
          defaultVersion: c.api.defaultVersion,
          policies: {
            v1: { deprecated: c.api.v1.deprecated, ...(c.api.v1.sunset ? { sunset: c.api.v1.sunset } : {}) },
          },
        })),
        rateLimits,
        authenticator,
        accessTokens,
        permissions,
        idempotency: {
          keys: idempotencyKeys,
          ttlMs: config.http.idempotencyTtlS * 1000,
          now: () => clock.now(),
        },
        metrics: metricsOptions(metrics, config),
        ...(tracing === undefined ? {} : { tracer: tracing.tracer }),
        ...(config.docs.enabled ? { docs: { documents, swaggerUi: loadSwaggerUiAssets() } } : {}),
        middleware: middleware ?? [],
      }),
    [
      Tokens.ConfigStore,
      Logger,
      Tokens.CommandBus,
      Tokens.QueryBus,
      Tokens.Lifecycle,
      allOf(Tokens.ApiRoutes),
      allOf(HealthCheckToken),
      allOf(LivenessCheckToken),
      Tokens.RateLimits,
      Tokens.Authenticator,
      AccessTokensToken,
      Tokens.Metrics,
      ifBound(Tokens.Tracing),
      Tokens.OpenApiDocuments,
      Permissions,
      IdempotencyKeys,
      Clock,
      allOf(Tokens.HttpMiddleware),
    ],
  );
  // Built with the app whether or not it is served: a route that cannot be described stops start-up.
  container.bind(Tokens.OpenApiDocuments).toResolvedValue(
    (
      store: ConfigStore,
      routes: VersionedRoutes[] | undefined,
      commands: HandlerRegistration[] | undefined,
      queries: HandlerRegistration[] | undefined,
      permissions: PermissionCatalog,
    ) => {
      const requirements = new Map(
        [...(commands ?? []), ...(queries ?? [])].map((h) => [h.type, h.requires]),
      );
      return Object.fromEntries(
        byVersion(routes ?? []).map((version) => [
          version.name,
          openApiDocument(version, {
            serviceVersion: serviceVersion(),
            deprecated: version.name === "v1" && store.get().api.v1.deprecated,
            requirementOf: (message) => requirements.get(message),
            permissions: permissions.all,
          }),
        ]),
      );
    },
    [
      Tokens.ConfigStore,
      allOf(Tokens.ApiRoutes),
      allOf(Tokens.CommandHandlers),
      allOf(Tokens.QueryHandlers),
      Permissions,
    ],
  );
  container
    .bind(Tokens.HttpServer)
    .toResolvedValue(
      (app: Koa) => new HttpServer(app, config.http.host, config.http.port, config.http.shutdownTimeoutMs),
      [Tokens.HttpApp],
    );
};

/** The registry, and whether /metrics is served and behind which token (METRICS__*). */
export function metricsOptions(registry: KeelMetrics, config: AppConfig): Metrics {
  const { enabled, bearerToken } = config.metrics;
  return { registry, endpoint: enabled ? { enabled, bearerToken } : { enabled: false } };
}

/** Merges every context's routes per version, versions in order (v1, v2, ...). */
function byVersion(contributions: readonly VersionedRoutes[]): ApiVersion[] {
  const versions = new Map<string, RouteDefinition[]>();
  for (const { version, routes } of contributions) {
    versions.set(version, [...(versions.get(version) ?? []), ...routes]);
  }
  return [...versions.entries()]
    .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
    .map(([name, routes]) => ({ name, routes }));
}
