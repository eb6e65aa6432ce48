import type { Delivery, Subscription } from "../../ports/event-bus.js";
import type { RecordedEvent } from "../../ports/event-log.js";
import type { Inbox } from "../../ports/inbox.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";

/** What a subscriber does with one event, inside the unit of work that also marks it processed. */
export interface EventHandler {
  readonly name: string;
  readonly eventTypes: readonly string[];
  apply(event: RecordedEvent, delivery: Delivery): Promise<void>;
}

/**
 * Makes a handler idempotent: its effect and the inbox mark commit in one transaction, so an event
 * delivered twice (the bus is at-least-once) has one effect. The event's metadata carries on: the
 * correlation id stays, the event becomes the cause.
 */
export function idempotent(handler: EventHandler, unitOfWork: UnitOfWork, inbox: Inbox): Subscription {
  return {
    name: handler.name,
    eventTypes: handler.eventTypes,
    handle: (event, delivery) =>
      unitOfWork.run(
        {
          correlationId: event.metadata.correlationId,
          causationId: event.id,
          principal: `system:${handler.name}`,
          ...(event.metadata.trace ? { trace: event.metadata.trace } : {}),
        },
        async () => {
          if (!(await inbox.markProcessed(handler.name, event.id))) return;
          await handler.apply(event, delivery);
        },
      ),
  };
}
