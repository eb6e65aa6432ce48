/**
 * The must-show across processes: `keel serve` and `keel worker` as separate production
 * processes export over OTLP/HTTP (batched) to a real endpoint started here. One POST with a
 * traceparent, and the collector receives one trace joining the server span and command (serve),
 * the relay's publish and each subscriber's delivery (worker), with the right parents.
 */
import * as assert from "uvu/assert";
import { eventually } from "../support/eventually.js";
import { type CollectedSpan, OtlpCollector } from "../support/otlp-collector.js";
import { ProductionStack, stackDecision } from "../support/production-stack.js";
import { newTraceparent } from "../support/recorded-spans.js";
import { serviceTest } from "../support/services.js";
import { adminHeaders, timed } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

serviceTest(
  await stackDecision(),
  "given serve and worker exporting over OTLP/HTTP, when a POST carries a traceparent, then the collector gets one trace from the HTTP span to every subscriber, across both processes",
  async () => {
    const collector = await OtlpCollector.start();
    const stack = await ProductionStack.start({
      env: {
        TRACING__ENABLED: "true",
        TRACING__EXPORTER: "otlp",
        TRACING__OTLP_ENDPOINT: collector.endpoint,
        // Production samples 10% of new traces; a request with a sampled traceparent is recorded anyway.
        TRACING__SERVICE_NAME: "keel-export-test",
        PRODUCTS__LOW_STOCK_THRESHOLD: "5",
        PRODUCTS__LOW_STOCK_ALERT_TO: "stock@shop.example",
      },
    });
    try {
      const admin = await adminHeaders(stack);
      const created = await timed(`${stack.url("serve")}/api/v1/products`, {
        method: "POST",
        headers: admin,
        json: { name: "Desk lamp", sku: `LAMP-${Date.now()}`, price: 2500, currency: "EUR", stock: 8 },
      });
      assert.is(created.status, 201);

      const caller = newTraceparent();
      const adjusted = await timed(
        `${stack.url("serve")}/api/v1/products/${created.body.data.id}/stock-adjustments`,
        {
          method: "POST",
          headers: { ...admin, traceparent: caller.header },
          json: { delta: -5, reason: "damaged" },
        },
      );
      assert.is(adjusted.status, 200);

      const spans = await eventually(
        "serve's and the worker's spans at the collector",
        async () => collector.inTrace(caller.traceId),
        // Each process exports on its own batch schedule: wait for both, not only the worker.
        (found) =>
          found.filter((span) => span.kind === CONSUMER).length >= 2 &&
          found.some((span) => span.kind === SERVER) &&
          found.some((span) => span.name === "command AdjustStock"),
        20_000,
      );
      const named = (name: string): CollectedSpan => {
        const found = spans.filter((span) => span.name === name);
        assert.is(found.length, 1, `one "${name}" among ${spans.map((s) => s.name)}`);
        return found[0] as CollectedSpan;
      };
      const server = named("POST /api/v1/products/:id/stock-adjustments");
      assert.is(server.kind, SERVER);
      assert.is(server.parentSpanId, caller.spanId);
      assert.is(server.service, "keel-export-test");
      const command = named("command AdjustStock");
      assert.is(command.parentSpanId, server.spanId);
      const unitOfWork = spans.find(
        (span) => span.name === "unit of work" && span.parentSpanId === command.spanId,
      );
      assert.ok(unitOfWork, "the command's unit of work");
      assert.ok(
        spans.some((span) => span.name === "UPDATE" && span.parentSpanId === unitOfWork.spanId),
        "its stock UPDATE",
      );
      const publish = named("publish product.stock_adjusted");
      assert.is(publish.kind, PRODUCER);
      assert.is(publish.parentSpanId, unitOfWork.spanId);
      assert.is(publish.attributes["messaging.system"], "nats");
      assert.is(publish.attributes["messaging.destination.name"], `${stack.stream}.product.stock_adjusted`);
      const consumers = spans.filter((span) => span.kind === CONSUMER);
      assert.equal(consumers.map((span) => span.attributes["keel.subscriber"]).sort(), [
        "cache-invalidation",
        "product-low-stock-alert",
        "product-stock-history",
      ]);
      for (const consumer of consumers) assert.is(consumer.parentSpanId, publish.spanId);
    } finally {
      await stack.stop();
      await collector.stop();
    }
  },
);
test.run();
