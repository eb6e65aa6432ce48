import type { Container } from "inversify";
import type { JobHandler } from "../../application/jobs/job-handler.js";
import { cachedQueryOf } from "../../application/shared/caching-behaviour.js";
import type { Command, Handler, Message, Query } from "../../application/shared/message.js";
import type { MessageBus, MessageClass } from "../../application/shared/message-bus.js";
import type { Requirement } from "../../application/shared/requirement.js";
import type { Schedule } from "../../ports/job-schedules.js";
import type { Token } from "../../ports/token.js";
import { Tokens } from "../tokens.js";

/**
 * One message type and its handler, bound (multi-binding) for the bus factory to collect. The
 * handler's requirement is kept beside it for the OpenAPI document: who may call a route is what the
 * handler of the message it dispatches requires.
 */
export interface HandlerRegistration {
  readonly type: MessageClass<Message<unknown>>;
  readonly requires: Requirement<never>;
  registerOn(bus: MessageBus<Message<unknown>>): void;
}

export function handles<TMessage extends Message<unknown>>(
  type: MessageClass<TMessage>,
  handler: Handler<TMessage>,
): HandlerRegistration {
  return {
    type: type as MessageClass<Message<unknown>>,
    requires: handler.requires as Requirement<never>,
    registerOn: (bus) => bus.register(type, handler),
  };
}

/** The tokens of a constructor's parameters, in order: `[ProductRepository, Clock]`. */
type TokensOf<TDeps extends readonly unknown[]> = { readonly [K in keyof TDeps]: Token<TDeps[K]> };

// biome-ignore lint/suspicious/noExplicitAny: a handler class, whatever its message's result
type HandlerClass<TMessage extends Message<any>, TDeps extends readonly unknown[]> = new (
  ...deps: TDeps
) => Handler<TMessage>;

/**
 * Binds a command's handler in one line: the message, the handler class and the tokens of its
 * constructor's parameters. The list is checked against the constructor: a token for the wrong port,
 * swapped or missing, does not compile.
 */
export function bindCommand<TMessage extends Command<unknown>, TDeps extends readonly unknown[]>(
  container: Container,
  type: MessageClass<TMessage>,
  handler: HandlerClass<TMessage, TDeps>,
  deps: NoInfer<TokensOf<TDeps>>,
): void {
  bindHandler(container, Tokens.CommandHandlers, type, handler, deps);
}

/** Binds a query's handler in one line, checked the same way as bindCommand. */
export function bindQuery<TMessage extends Query<unknown>, TDeps extends readonly unknown[]>(
  container: Container,
  type: MessageClass<TMessage>,
  handler: HandlerClass<TMessage, TDeps>,
  deps: NoInfer<TokensOf<TDeps>>,
): void {
  bindHandler(container, Tokens.QueryHandlers, type, handler, deps);
  // A query that declares `cache` is listed, so the cache module can tell that something is cached
  // and derive the invalidating subscriber from the declarations, without resolving any handler.
  const cached = cachedQueryOf(type);
  if (cached !== undefined) container.bind(Tokens.CachedQueries).toConstantValue(cached);
}

function bindHandler<TMessage extends Message<unknown>, TDeps extends readonly unknown[]>(
  container: Container,
  list: symbol,
  type: MessageClass<TMessage>,
  handler: HandlerClass<TMessage, TDeps>,
  deps: TokensOf<TDeps>,
): void {
  container
    .bind(list)
    .toResolvedValue(
      (...resolved: unknown[]) => handles(type, new handler(...(resolved as unknown as TDeps))),
      [...(deps as readonly symbol[])],
    );
}

/**
 * Binds a port to its adapter class in one line, the dependency list checked against the adapter's
 * constructor as bindCommand does: `bindAdapter(container, ProductRepository, KyselyProductRepository,
 * [Tokens.TransactionScope, IdGenerator])`.
 */
export function bindAdapter<T, TDeps extends readonly unknown[]>(
  container: Container,
  port: Token<T>,
  adapter: new (...deps: TDeps) => T,
  deps: NoInfer<TokensOf<TDeps>>,
): void {
  container
    .bind(port)
    .toResolvedValue(
      (...resolved: unknown[]) => new adapter(...(resolved as unknown as TDeps)),
      [...(deps as readonly symbol[])],
    );
}

/** Binds a job type's handler in one line, checked as bindCommand is; the worker's job runner runs it. */
export function bindJobHandler<TPayload, TDeps extends readonly unknown[]>(
  container: Container,
  handler: new (...deps: TDeps) => JobHandler<TPayload>,
  deps: NoInfer<TokensOf<TDeps>>,
): void {
  container
    .bind(Tokens.JobHandlers)
    .toResolvedValue(
      (...resolved: unknown[]) => new handler(...(resolved as unknown as TDeps)),
      [...(deps as readonly symbol[])],
    );
}

/** Declares a recurring schedule; every worker defines it as it starts (unchanged, it keeps its next firing). */
export function bindSchedule<TPayload>(container: Container, schedule: Schedule<TPayload>): void {
  container.bind(Tokens.Schedules).toConstantValue(schedule);
}
