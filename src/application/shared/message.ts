import type { ExecutionContext } from "./execution-context.js";
import type { Requirement } from "./requirement.js";

/**
 * Base of commands and queries. `TResult` is carried as a phantom type so that dispatching a
 * message is typed by its result without a registry of names.
 */
export abstract class Message<TResult> {
  declare readonly __result: TResult;

  constructor(readonly context: ExecutionContext) {}

  /** The message's name in logs and traces: its class name. */
  get messageType(): string {
    return this.constructor.name;
  }
}

/** Intent to change state; returns at most an id and a version. */
export abstract class Command<TResult = void> extends Message<TResult> {
  readonly kind = "command" as const;
}

/** A question; never changes state. */
export abstract class Query<TResult> extends Message<TResult> {
  readonly kind = "query" as const;
}

export interface Handler<TMessage extends Message<TResult>, TResult = TMessage["__result"]> {
  /** Who may send this message; checked by the authorization behaviour before the handler runs. */
  readonly requires: Requirement<TMessage>;
  /**
   * Set by a command handler that opens its own unit of work (through the UnitOfWork port) instead of
   * running wholly inside one: it does slow work first (hashing a password), so that no database
   * connection is held while it runs.
   */
  readonly ownsTransaction?: true;
  handle(message: TMessage): Promise<TResult>;
}
