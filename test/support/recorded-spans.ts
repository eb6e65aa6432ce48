import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import type { Container } from "inversify";
import { KeelTracing } from "../../src/adapters/tracing/keel-tracing.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { recordTelemetry } from "./output-record.js";

/**
 * Spans a test server records in memory: its Tracing rebound to one that exports every span, at
 * once, to an in-memory exporter (the rest of the tracing wiring is the server's own).
 */
export class RecordedSpans {
  private readonly exporter = new InMemorySpanExporter();

  constructor() {
    // The secrets scan (test/zz-secrets-scan.test.ts) reads every span a test recorded.
    recordTelemetry("exported spans", () => this.all().map(describeSpan).join("\n"));
  }

  /** For startTestServer's `overrides`. */
  readonly override = (container: Container): void => {
    container
      .rebind(Tokens.Tracing)
      .toConstantValue(
        new KeelTracing(
          { serviceName: "keel-test", serviceVersion: "test", environment: "test", sampleRatio: 1 },
          [new SimpleSpanProcessor({ exporter: this.exporter })],
        ),
      );
  };

  all(): ReadableSpan[] {
    return this.exporter.getFinishedSpans();
  }

  inTrace(traceId: string): ReadableSpan[] {
    return this.all().filter((span) => span.spanContext().traceId === traceId);
  }
}

/** A span's parent span id, or undefined for a root. */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** A W3C traceparent for a new sampled trace, with random ids. */
export function newTraceparent(): { header: string; traceId: string; spanId: string } {
  const hex = (bytes: number) =>
    Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join(
      "",
    );
  const traceId = hex(16);
  const spanId = hex(8);
  return { header: `00-${traceId}-${spanId}-01`, traceId, spanId };
}

/** Everything of a span a backend would show: name, attributes, status, events with theirs. */
function describeSpan(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    status: span.status,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    resource: span.resource.attributes,
  });
}
