import Router, { type RouterMiddleware } from "@koa/router";
import type { Middleware } from "koa";
import { ANONYMOUS } from "../../application/shared/execution-context.js";
import type { Command, Query } from "../../application/shared/message.js";
import type { MessageBus } from "../../application/shared/message-bus.js";
import type { AppState } from "./app-state.js";
import { inClientTerms } from "./client-fields.js";
import { optional, strictObject, strictQuery } from "./codecs.js";
import { decode } from "./decode.js";
import { entityTag, expectedVersions, notModified } from "./entity-tag.js";
import { success } from "./envelope.js";
import { type IdempotencySettings, idempotency } from "./idempotency.js";
import { methodRules } from "./method-rules.js";
import type { ApiVersion, RouteDefinition } from "./route.js";
import type { RouteTemplate } from "./route-template.js";

export interface Buses {
  readonly commands: MessageBus<Command<unknown>>;
  readonly queries: MessageBus<Query<unknown>>;
}

/**
 * A route that declares no query parameters takes none, and one that declares no body takes none (an
 * empty JSON object aside): a parameter or field ignored is a typo the client never hears of.
 */
const NO_QUERY = strictQuery({}, "no query parameters");
const NO_BODY = optional(strictObject({}, "no body"));

/**
 * Mounts every version's routes under `/api/<version>`; each route is decode, dispatch, encode, wrap,
 * plus what its definition declares: ETag and If-None-Match, If-Match, Location, and the client's
 * names for the values its handler may refuse. Methods no route takes are answered by methodRules.
 */
export function apiRouter(
  versions: readonly ApiVersion[],
  buses: Buses,
  expensive: Middleware<AppState>,
  idempotencyKeys: IdempotencySettings,
): Middleware[] {
  const router = new Router<AppState>();
  const keyed = idempotency(idempotencyKeys);
  for (const version of versions) {
    for (const definition of version.routes) {
      router.register(
        templateOf(version, definition),
        [definition.method],
        [
          ...(definition.expensive ? [expensive as RouterMiddleware<AppState>] : []),
          ...(definition.idempotent ? [keyed] : []),
          endpoint(definition, version.name, buses),
        ],
      );
    }
  }
  return [methodRules(router) as Middleware, router.routes() as Middleware];
}

/** Every route of every version as the router registers it, in the same order. */
export function apiRouteTemplates(versions: readonly ApiVersion[]): RouteTemplate[] {
  return versions.flatMap((version) =>
    version.routes.map((definition) => ({
      method: definition.method,
      path: templateOf(version, definition),
    })),
  );
}

function templateOf(version: ApiVersion, definition: RouteDefinition): string {
  return `/api/${version.name}${definition.path}`;
}

/**
 * Never left to a proxy's heuristics: an answer without a validator must not be reused at all, and
 * one with an ETag only after asking (keel's own cache is server-side and invalidated by events; a
 * client's copy could not be). An answer to a signed-in caller is theirs alone: `private`.
 */
function cacheControlOf(definition: RouteDefinition, signedIn: boolean): string {
  if (definition.cacheControl !== undefined) return definition.cacheControl;
  if (definition.method !== "GET" || definition.etag === undefined) return "no-store";
  return signedIn ? "private, no-cache" : "no-cache";
}

function endpoint(definition: RouteDefinition, apiVersion: string, buses: Buses): RouterMiddleware<AppState> {
  return async (ctx) => {
    const params = definition.params ? decode(definition.params, ctx.params, "params") : undefined;
    const input = {
      params,
      // Decoded even where the route declares none, so that whatever was sent is refused, not ignored.
      query: decode(definition.query ?? NO_QUERY, ctx.query, "query"),
      body: decode(definition.body ?? NO_BODY, ctx.request.body, "body"),
      // Only parsed here: whether the resource still has an expected version is decided by the
      // handler, after the checks that come first (authorization, 404) and atomically with the write.
      ...(definition.ifMatchOn === undefined
        ? {}
        : {
            expectedVersions: expectedVersions(ctx.get("If-Match"), apiVersion, definition.ifMatchOn(params)),
          }),
    };
    const context = { principal: ctx.state.principal ?? ANONYMOUS, correlationId: ctx.state.requestId };
    const output = await inClientTerms(definition.fields, () =>
      definition.handle(input, { ...buses, context }),
    );
    ctx.set("Cache-Control", cacheControlOf(definition, context.principal.kind !== "anonymous"));
    if (definition.etag !== undefined) {
      const tag = entityTag(apiVersion, definition.etag(output));
      ctx.set("ETag", tag);
      // Koa answers HEAD with GET's route; a 304 carries the ETag and nothing else of the body.
      if ((ctx.method === "GET" || ctx.method === "HEAD") && notModified(ctx.get("If-None-Match"), tag)) {
        ctx.status = 304;
        return;
      }
    }
    ctx.status = definition.status ?? 200;
    // A path reference: the client resolves it against the URL it called (RFC 9110 section 10.2.2),
    // so no Host or proxy header needs trusting to build an absolute one.
    if (definition.location !== undefined)
      ctx.set("Location", `/api/${apiVersion}${definition.location(output, params)}`);
    ctx.body = success(definition.message, definition.response.encode(output));
  };
}
