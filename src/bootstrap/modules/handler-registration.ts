import type { Handler, Message } from "../../application/shared/message.js";
import type { MessageBus, MessageClass } from "../../application/shared/message-bus.js";

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
