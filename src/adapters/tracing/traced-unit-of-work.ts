import type { Tracer } from "@opentelemetry/api";
import type { EventMetadata } from "../../ports/event-log.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import { inSpan } from "./keel-tracing.js";
import { currentTraceContext } from "./trace-context.js";

/**
 * A span per transaction (one per attempt, when a conflict makes the command run again), and the
 * trace context stamped on every event appended inside it: the relay, maybe in another process and
 * much later, continues the trace from there. Without an active span the metadata keeps the trace
 * context it came with (a subscriber passes on its event's).
 */
export function tracedUnitOfWork(inner: UnitOfWork, tracer: Tracer): UnitOfWork {
  return {
    run: (metadata, work) => inSpan(tracer, "unit of work", {}, () => inner.run(withTrace(metadata), work)),
  };
}

function withTrace(metadata: EventMetadata): EventMetadata {
  const trace = currentTraceContext();
  return trace === undefined ? metadata : { ...metadata, trace };
}
