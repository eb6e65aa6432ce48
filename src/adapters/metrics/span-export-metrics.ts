import { Counter, type Registry } from "prom-client";
import type { SpanExportObserver } from "../tracing/export-pipeline.js";

/**
 * Whether traces reach the collector: spans exported, and spans dropped because the export failed
 * (the collector is away or refused them) or the queue was full (the collector is too slow).
 */
export function spanExportMetrics(registry: Registry): SpanExportObserver {
  const exported = new Counter({
    name: "keel_trace_spans_exported_total",
    help: "Spans the collector accepted.",
    registers: [registry],
  });
  const dropped = new Counter({
    name: "keel_trace_spans_dropped_total",
    help: "Spans given up on, by reason (export_failed: the collector is away or refused them; queue_full: it cannot keep up).",
    labelNames: ["reason"],
    registers: [registry],
  });
  return {
    spansExported: (count) => exported.inc(count),
    spansDropped: (reason, count) => dropped.inc({ reason }, count),
  };
}
