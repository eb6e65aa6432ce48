import { SpanKind, type Tracer } from "@opentelemetry/api";
import type { EventBus, Subscription } from "../../ports/event-bus.js";
import type { RecordedEvent } from "../../ports/event-log.js";
import { inSpan } from "./keel-tracing.js";
import { continuedFrom, currentTraceContext } from "./trace-context.js";

export interface MessagingSystem {
  /** messaging.system: "nats", or "memory" for the in-process bus. */
  readonly name: string;
  /** messaging.destination.name of an event: its subject on NATS. */
  readonly destinationOf: (event: RecordedEvent) => string;
}

/**
 * Carries a trace across the bus. Publishing (the relay) is a PRODUCER span continuing the trace
 * stored with the event; the event goes out with that span's context in its metadata (and so in the
 * NATS headers). Each delivery to a subscriber is a CONSUMER span, a child of the publish span.
 *
 * A child, not a span link: keel delivers one event per handler call, so each delivery has exactly
 * one cause and belongs in the request's trace as a tree an operator reads top to bottom. Links
 * are for batches, where one span consumes many messages with many parents.
 */
export function tracedEventBus(inner: EventBus, tracer: Tracer, system: MessagingSystem): EventBus {
  return {
    publish: (event) =>
      inSpan(
        tracer,
        `publish ${event.type}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: attributesOf(event, system, "send"),
          parent: continuedFrom(event.metadata.trace),
        },
        () => inner.publish(carryingTrace(event)),
      ),
    subscribe: (subscription) => inner.subscribe(tracedSubscription(subscription, tracer, system)),
  };
}

function tracedSubscription(
  subscription: Subscription,
  tracer: Tracer,
  system: MessagingSystem,
): Subscription {
  return {
    name: subscription.name,
    eventTypes: subscription.eventTypes,
    handle: (event, delivery) =>
      inSpan(
        tracer,
        `process ${event.type}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            ...attributesOf(event, system, "process"),
            "messaging.consumer.group.name": subscription.name,
            "keel.subscriber": subscription.name,
            "keel.delivery.attempt": delivery.attempt,
          },
          parent: continuedFrom(event.metadata.trace),
        },
        () => subscription.handle(event, delivery),
      ),
  };
}

function carryingTrace(event: RecordedEvent): RecordedEvent {
  const trace = currentTraceContext();
  return trace === undefined ? event : { ...event, metadata: { ...event.metadata, trace } };
}

function attributesOf(event: RecordedEvent, system: MessagingSystem, operation: "send" | "process") {
  return {
    "messaging.system": system.name,
    "messaging.operation.type": operation,
    "messaging.destination.name": system.destinationOf(event),
    "messaging.message.id": event.id,
    "keel.event": event.type,
  };
}
