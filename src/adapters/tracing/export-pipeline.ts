import { type Context, TraceFlags } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { loadWhenUsed } from "../load-when-used.js";

// Loaded only when tracing is on, and the OTLP exporter only when it is the one chosen.
const sdk = loadWhenUsed<typeof import("@opentelemetry/sdk-trace")>("@opentelemetry/sdk-trace");
const otlp = loadWhenUsed<typeof import("@opentelemetry/exporter-trace-otlp-http")>(
  "@opentelemetry/exporter-trace-otlp-http",
);

/** Told how many spans left the process and how many were given up on, and why. */
export interface SpanExportObserver {
  spansExported(count: number): void;
  spansDropped(reason: "queue_full" | "export_failed", count: number): void;
}

export interface ExportSettings {
  readonly exporter: "otlp" | "console" | "none";
  readonly otlpEndpoint: string;
  /** How long one export may take before its spans count as dropped; 10 s unless a test says less. */
  readonly exportTimeoutMs?: number;
}

/** Spans waiting for export at most; beyond, new spans are dropped (and counted) rather than kept. */
export const MAX_QUEUED_SPANS = 2048;
const EXPORT_TIMEOUT_MS = 10_000;

/**
 * Where spans go. Every exporter sits behind a batching processor: ending a span only queues it, so
 * a request never waits on the collector. When the collector is slow or away, the queue fills and
 * new spans are dropped and counted, so tracing costs bounded memory whatever the collector does.
 */
export function exportPipeline(settings: ExportSettings, observer: SpanExportObserver): SpanProcessor[] {
  const timeoutMs = settings.exportTimeoutMs ?? EXPORT_TIMEOUT_MS;
  switch (settings.exporter) {
    case "none":
      return [];
    case "console":
      return [batched(new (sdk().ConsoleSpanExporter)(), observer, timeoutMs)];
    case "otlp":
      return [
        batched(
          // JSON over HTTP (the OTLP/HTTP default here). The exporter retries a collector that is
          // down or busy within its timeout, which ends before the processor's, so every export
          // settles and the queue count below stays right.
          new (otlp().OTLPTraceExporter)({
            url: settings.otlpEndpoint,
            timeoutMillis: Math.round(timeoutMs * 0.9),
          }),
          observer,
          timeoutMs,
        ),
      ];
  }
}

/** A batching processor for `exporter` that drops and counts what does not fit in its queue. */
function batched(exporter: SpanExporter, observer: SpanExportObserver, timeoutMs: number): SpanProcessor {
  const counted = new CountingExporter(exporter, observer);
  const batch = new (sdk().BatchSpanProcessor)({
    exporter: counted,
    maxQueueSize: MAX_QUEUED_SPANS,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 1000,
    exportTimeoutMillis: timeoutMs,
  });
  return new BoundedSpanProcessor(batch, counted, MAX_QUEUED_SPANS, observer);
}

/**
 * Counts spans in and out of the exporter. The batching processor drops spans when its queue is
 * full but tells no one; counting here, what was handed to the processor and not yet settled by the
 * exporter is always at least what the processor holds, so refusing beyond the same bound means
 * the processor itself never drops and every drop is counted.
 */
class CountingExporter implements SpanExporter {
  pending = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly observer: SpanExportObserver,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    let settled = false;
    this.inner.export(spans, (result) => {
      if (settled) return;
      settled = true;
      this.pending -= spans.length;
      if (result.code === ExportResultCode.SUCCESS) this.observer.spansExported(spans.length);
      else this.observer.spansDropped("export_failed", spans.length);
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

class BoundedSpanProcessor implements SpanProcessor {
  constructor(
    private readonly inner: SpanProcessor,
    private readonly exporter: CountingExporter,
    private readonly capacity: number,
    private readonly observer: SpanExportObserver,
  ) {}

  onStart(span: Span, parent: Context): void {
    this.inner.onStart(span, parent);
  }

  onEnd(span: ReadableSpan): void {
    // The batching processor exports only sampled spans; the others never reach the exporter.
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.exporter.pending >= this.capacity) {
      this.observer.spansDropped("queue_full", 1);
      return;
    }
    this.exporter.pending += 1;
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
