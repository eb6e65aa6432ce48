import type * as t from "io-ts";
import type { ExecutionContext } from "../../application/shared/execution-context.js";
import type { Command, Message, Query } from "../../application/shared/message.js";
import type { MessageBus, MessageClass } from "../../application/shared/message-bus.js";
import type { ClientFields } from "./client-fields.js";

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
  /**
   * On a conditional write (`ifMatchOn`): the versions of the resource its If-Match names, for the
   * command to expect. Undefined when the write is unconditional: no If-Match, or `*`, which any
   * existing resource matches (a missing one is the handler's 404).
   */
  readonly expectedVersions?: readonly number[];
}

/** One version of one resource: what its entity tag is made of (see entity-tag.ts). */
export interface ResourceVersion {
  readonly id: string;
  readonly version: number;
}

/** A 201 says where the new resource lives; other successes are 200. */
type Success<P, O> =
  | { readonly status?: 200; readonly location?: undefined }
  | {
      readonly status: 201;
      /**
       * The created resource's path, relative to the versioned prefix (e.g. `/products/<id>`), sent as
       * `Location: /api/<version>/products/<id>`.
       */
      readonly location: (output: O, params: P) => string;
    };

/**
 * A route as data: where it lives, what it accepts and returns (io-ts codecs that validate input and
 * encode output, and later generate OpenAPI), and a thin handler that dispatches one message.
 */
export type RouteDefinition<P = unknown, Q = unknown, B = unknown, O = unknown> = RouteShape<P, Q, B, O> &
  Success<P, O>;

interface RouteShape<P, Q, B, O> {
  readonly method: HttpMethod;
  /** Relative to the versioned prefix, e.g. `/products/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  /**
   * The command or query its handler dispatches: the OpenAPI document reads who may call the route
   * from that message's handler (its `requires`), the same declaration authorization enforces.
   */
  readonly dispatches: MessageClass<Message<unknown>>;
  readonly params?: t.Decoder<unknown, P>;
  /** The query parameters it accepts; without one, it accepts none (any is a 400). */
  readonly query?: t.Decoder<unknown, Q>;
  /** The body it accepts; without one, it accepts none, or an empty JSON object. */
  readonly body?: t.Decoder<unknown, B>;
  /**
   * Where each value the handler may refuse arrived, by the name the domain or the application
   * refuses it under: `{ givenName: "body.given_name" }`. A refusal (InvalidValue, 422) is answered in
   * the client's own spelling, like a 400 from the codecs above; see client-fields.ts.
   */
  readonly fields?: ClientFields;
  readonly response: t.Encoder<O, unknown>;
  /**
   * The answer shows one versioned resource, or a write's result says which version it left the
   * resource at: the response carries that version's ETag, and a GET whose If-None-Match names it is
   * answered 304 without a body.
   */
  readonly etag?: (output: O) => ResourceVersion;
  /**
   * Cache-Control of its answers, when the default does not fit: `no-cache` for a GET with an ETag (a
   * client or proxy may keep the answer, but revalidates it each time, which If-None-Match makes a
   * bodiless 304; `private, no-cache` when the caller is signed in), `no-store` for everything else
   * (writes, and reads with no version to revalidate).
   */
  readonly cacheControl?: string;
  /**
   * The route changes one existing versioned resource, the one with this id: its If-Match is handed
   * to `handle` as `expectedVersions`, which the handler puts in its command, so that the version is
   * checked in the same transaction as the write.
   */
  readonly ifMatchOn?: (params: P) => string;
  /**
   * The handler runs a deliberately slow function (a password hash): the request also counts against
   * the stricter per-address limit for such routes (RATE_LIMIT__EXPENSIVE__*).
   */
  readonly expensive?: true;
  /**
   * The route takes an `Idempotency-Key` header: a client retrying with the same key gets the first
   * request's answer instead of a second effect (see idempotency.ts). For creates and payments.
   */
  readonly idempotent?: true;
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
