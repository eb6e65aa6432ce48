import type * as t from "io-ts";
import type { ExecutionContext } from "../../application/shared/execution-context.js";
import type { Command, Query } from "../../application/shared/message.js";
import type { MessageBus } from "../../application/shared/message-bus.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a route handler may use: the two buses and the caller's context. Nothing else. */
export interface RouteContext {
  readonly commands: MessageBus<Command<unknown>>;
  readonly queries: MessageBus<Query<unknown>>;
  readonly context: ExecutionContext;
}

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
}

/**
 * A route as data: where it lives, what it accepts and returns (io-ts codecs that validate input and
 * encode output, and later generate OpenAPI), and a thin handler that dispatches one message.
 */
export interface RouteDefinition<P = unknown, Q = unknown, B = unknown, O = unknown> {
  readonly method: HttpMethod;
  /** Relative to the versioned prefix, e.g. `/products/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly params?: t.Decoder<unknown, P>;
  readonly query?: t.Decoder<unknown, Q>;
  readonly body?: t.Decoder<unknown, B>;
  readonly response: t.Encoder<O, unknown>;
  /** Success status; 200 unless the route creates something. */
  readonly status?: 200 | 201;
  /**
   * The handler runs a deliberately slow function (a password hash): the request also counts against
   * the stricter per-address limit for such routes (RATE_LIMIT__EXPENSIVE__*).
   */
  readonly expensive?: true;
  /** The envelope's human message on success. */
  readonly message: string;
  readonly handle: (input: RouteInput<P, Q, B>, route: RouteContext) => Promise<O>;
}

/** Keeps each route's types linked (input codecs to handler, handler to output codec). */
export function route<P = undefined, Q = undefined, B = undefined, O = unknown>(
  definition: RouteDefinition<P, Q, B, O>,
): RouteDefinition {
  return definition as unknown as RouteDefinition;
}

/** The routes of one API version. */
export interface ApiVersion {
  readonly name: string;
  readonly routes: readonly RouteDefinition[];
}
