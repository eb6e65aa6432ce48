import {
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

const w3c = new W3CTraceContextPropagator();

/**
 * The active span's W3C trace context (traceparent, and tracestate when there is one), as stored
 * in an event's metadata and sent in NATS headers; undefined when no span is active.
 */
export function currentTraceContext(active: Context = context.active()): Record<string, string> | undefined {
  if (trace.getSpan(active) === undefined) return undefined;
  const carrier: Record<string, string> = {};
  w3c.inject(active, carrier, defaultTextMapSetter);
  return carrier.traceparent === undefined ? undefined : carrier;
}

/**
 * The context a stored or received trace context continues; the root context when there is none
 * or it is malformed (the propagator ignores what is not a valid traceparent).
 */
export function continuedFrom(
  carrier: Readonly<Record<string, string | string[] | undefined>> | undefined,
): Context {
  return carrier === undefined ? ROOT_CONTEXT : w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/** The active span's ids for a log line, or undefined outside a span. */
export function activeSpanIds(): { trace_id: string; span_id: string } | undefined {
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
