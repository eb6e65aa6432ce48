import { headers, type MsgHdrs } from "@nats-io/transport-node";
import type { RecordedEvent } from "../../../ports/event-log.js";

/**
 * The JSON body is the whole event and is what consumers read; headers repeat the identity and
 * metadata so that tooling, tracing and routing can see them without parsing the body.
 */
export function eventHeaders(event: RecordedEvent): MsgHdrs {
  const h = headers();
  const { metadata } = event;
  h.set("Keel-Event-Id", event.id);
  h.set("Keel-Event-Type", event.type);
  h.set("Keel-Aggregate-Type", event.aggregateType);
  h.set("Keel-Aggregate-Id", event.aggregateId);
  h.set("Keel-Event-Version", String(event.version));
  h.set("Keel-Correlation-Id", headerValue(metadata.correlationId));
  if (metadata.causationId !== undefined) h.set("Keel-Causation-Id", headerValue(metadata.causationId));
  h.set("Keel-Principal", headerValue(metadata.principal));
  // W3C names (traceparent, tracestate) as they are, so standard propagators find them.
  for (const [key, value] of Object.entries(metadata.trace ?? {})) h.set(key, headerValue(value));
  return h;
}

/** Header values cannot hold line breaks (they would end the header block). */
export function headerValue(value: string): string {
  return value.replace(/[\r\n]+/g, " ");
}

/** The event in a message body, or undefined when the body is not one (not published by keel). */
export function decodeEvent(value: unknown): RecordedEvent | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const candidate = value as Partial<Record<keyof RecordedEvent, unknown>>;
  const wellFormed =
    typeof candidate.id === "string" &&
    typeof candidate.type === "string" &&
    typeof candidate.aggregateId === "string" &&
    typeof candidate.version === "number" &&
    typeof candidate.metadata === "object" &&
    candidate.metadata !== null;
  return wellFormed ? (value as RecordedEvent) : undefined;
}

export function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}
