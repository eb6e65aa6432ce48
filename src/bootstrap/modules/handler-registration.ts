import type { Handler, Message } from "../../application/shared/message.js";
import type { MessageBus } from "../../application/shared/message-bus.js";

// biome-ignore lint/suspicious/noExplicitAny: constructor parameters of a message class are its own business
type MessageClass<TMessage> = abstract new (...args: any[]) => TMessage;

/** One message type and its handler, bound (multi-binding) for the bus factory to collect. */
export interface HandlerRegistration {
  registerOn(bus: MessageBus<Message<unknown>>): void;
}

export function handles<TMessage extends Message<unknown>>(
  type: MessageClass<TMessage>,
  handler: Handler<TMessage>,
): HandlerRegistration {
  return { registerOn: (bus) => bus.register(type, handler) };
}
