import type { Behaviour } from "./behaviour.js";
import type { Handler, Message } from "./message.js";

// biome-ignore lint/suspicious/noExplicitAny: constructor parameters of a message class are its own business
export type MessageClass<TMessage> = abstract new (...args: any[]) => TMessage;

export class NoHandlerRegistered extends Error {
  constructor(messageType: string) {
    super(`no handler registered for ${messageType}`);
    this.name = "NoHandlerRegistered";
  }
}

/**
 * Dispatches each message to its one handler through the behaviours, outermost first. The command
 * bus and the query bus are two instances with different behaviours.
 */
export class MessageBus<TBase extends Message<unknown>> {
  private readonly handlers = new Map<unknown, Handler<Message<unknown>, unknown>>();

  constructor(private readonly behaviours: readonly Behaviour[]) {}

  register<TMessage extends TBase>(type: MessageClass<TMessage>, handler: Handler<TMessage>): this {
    if (this.handlers.has(type)) throw new Error(`a handler for ${type.name} is already registered`);
    this.handlers.set(type, handler as Handler<Message<unknown>, unknown>);
    return this;
  }

  dispatch<TResult>(message: TBase & Message<TResult>): Promise<TResult> {
    const handler = this.handlers.get(message.constructor);
    if (handler === undefined) return Promise.reject(new NoHandlerRegistered(message.messageType));
    const step = (index: number): Promise<TResult> => {
      const behaviour = this.behaviours[index];
      if (behaviour === undefined) return handler.handle(message) as Promise<TResult>;
      return behaviour.handle(message, () => step(index + 1), handler as Handler<Message<TResult>>);
    };
    return step(0);
  }
}
