import { createServer, type Server, type Socket } from "node:net";
import * as assert from "uvu/assert";
import {
  exportPipeline,
  MAX_QUEUED_SPANS,
  type SpanExportObserver,
} from "../../../src/adapters/tracing/export-pipeline.js";
import { KeelTracing } from "../../../src/adapters/tracing/keel-tracing.js";
import { eventually } from "../../support/eventually.js";
import { OtlpCollector } from "../../support/otlp-collector.js";
import { test } from "../../support/uvu.js";

class Counts implements SpanExportObserver {
  exported = 0;
  dropped = { queue_full: 0, export_failed: 0 };
  spansExported(count: number): void {
    this.exported += count;
  }
  spansDropped(reason: "queue_full" | "export_failed", count: number): void {
    this.dropped[reason] += count;
  }
}

function tracingTo(endpoint: string, counts: Counts, exportTimeoutMs?: number): KeelTracing {
  return new KeelTracing(
    { serviceName: "pipeline-test", serviceVersion: "test", environment: "test", sampleRatio: 1 },
    exportPipeline(
      { exporter: "otlp", otlpEndpoint: endpoint, ...(exportTimeoutMs ? { exportTimeoutMs } : {}) },
      counts,
    ),
  );
}

function endSpans(tracing: KeelTracing, count: number): void {
  for (let i = 0; i < count; i++) tracing.tracer.startSpan(`span ${i}`).end();
}

/** A TCP server that accepts connections and never answers: a collector that hangs. */
async function blackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test("given a collector that answers, when spans end, then they reach it in batches and count as exported", async () => {
  const collector = await OtlpCollector.start();
  const counts = new Counts();
  const tracing = tracingTo(collector.endpoint, counts);
  try {
    endSpans(tracing, 1200);
    assert.is(collector.spans.length, 0, "ending a span only queues it");
    await tracing.flush();
    // A batch already on its way when the flush began may land just after it.
    await eventually(
      "every span at the collector, and counted",
      () => [collector.spans.length, counts.exported],
      ([received, exported]) => received === 1200 && exported === 1200,
    );
    assert.ok(
      collector.requests >= 3 && collector.requests < 10,
      `batches of up to 512: ${collector.requests}`,
    );
    assert.equal([counts.exported, counts.dropped], [1200, { queue_full: 0, export_failed: 0 }]);
    assert.is(collector.spans[0]?.service, "pipeline-test");
  } finally {
    await tracing.shutdown();
    await collector.stop();
  }
});

test("given a collector that hangs, when more spans end than the queue holds, then the rest are dropped and counted, and the hung export counts as failed once it times out", async () => {
  const hole = await blackHole();
  const counts = new Counts();
  const tracing = tracingTo(hole.url, counts, 1000);
  try {
    const extra = 952;
    endSpans(tracing, MAX_QUEUED_SPANS + extra);
    assert.is(counts.dropped.queue_full, extra, "what does not fit is dropped at once, not held");
    await eventually(
      "the hung export to time out",
      () => counts.dropped.export_failed,
      (failed) => failed > 0,
      5000,
    );
    assert.is(counts.exported, 0);
  } finally {
    await hole.close();
    await tracing.shutdown().catch(() => undefined);
  }
});

test("given a collector that refuses the spans, when they are exported, then they count as dropped, not exported", async () => {
  const collector = await OtlpCollector.start();
  collector.refuseWith = 400;
  const counts = new Counts();
  const tracing = tracingTo(collector.endpoint, counts);
  try {
    endSpans(tracing, 10);
    await tracing.flush();
    assert.equal([counts.exported, counts.dropped], [0, { queue_full: 0, export_failed: 10 }]);
  } finally {
    await tracing.shutdown();
    await collector.stop();
  }
});

test.run();
