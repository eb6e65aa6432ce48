import Router, { type RouterMiddleware } from "@koa/router";
import type { Middleware } from "koa";
import { ANONYMOUS } from "../../application/shared/execution-context.js";
import type { Command, Query } from "../../application/shared/message.js";
import type { MessageBus } from "../../application/shared/message-bus.js";
import type { AppState } from "./app-state.js";
import { decode } from "./decode.js";
import { success } from "./envelope.js";
import type { ApiVersion, RouteDefinition } from "./route.js";

export interface Buses {
  readonly commands: MessageBus<Command<unknown>>;
  readonly queries: MessageBus<Query<unknown>>;
}

/** Mounts every version's routes under `/api/<version>`; each route is decode, dispatch, encode, wrap. */
export function apiRouter(
  versions: readonly ApiVersion[],
  buses: Buses,
  expensive: Middleware<AppState>,
): Middleware[] {
  const router = new Router<AppState>();
  for (const version of versions) {
    for (const definition of version.routes) {
      const handle = endpoint(definition, buses);
      router.register(
        `/api/${version.name}${definition.path}`,
        [definition.method],
        definition.expensive ? [expensive as RouterMiddleware<AppState>, handle] : handle,
      );
    }
  }
  return [router.routes() as Middleware, router.allowedMethods() as Middleware];
}

function endpoint(definition: RouteDefinition, buses: Buses): RouterMiddleware<AppState> {
  return async (ctx) => {
    const input = {
      params: definition.params ? decode(definition.params, ctx.params, "params") : undefined,
      query: definition.query ? decode(definition.query, ctx.query, "query") : undefined,
      body: definition.body ? decode(definition.body, ctx.request.body, "body") : undefined,
    };
    const context = { principal: ctx.state.principal ?? ANONYMOUS, correlationId: ctx.state.requestId };
    const output = await definition.handle(input, { ...buses, context });
    ctx.status = definition.status ?? 200;
    ctx.body = success(definition.message, definition.response.encode(output));
  };
}
