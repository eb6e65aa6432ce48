import type { Handler, Message } from "../../application/shared/message.js";
import type { MessageBus, MessageClass } from "../../application/shared/message-bus.js";
import type { Requirement } from "../../application/shared/requirement.js";

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
