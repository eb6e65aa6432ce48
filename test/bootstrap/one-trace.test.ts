import { randomBytes } from "node:crypto";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import * as assert from "uvu/assert";
import { asAdmin } from "../support/auth.js";
import { eventually } from "../support/eventually.js";
import { deleteStreams, NATS_URL, natsDecision } from "../support/nats.js";
import { createTestSchema, postgresDecision, type TestSchema } from "../support/postgres.js";
import { newTraceparent, parentOf, RecordedSpans } from "../support/recorded-spans.js";
import type { ServiceDecision } from "../support/services.js";
import { call, startTestServer, type TestServer } from "../support/test-server.js";
import { suite } from "../support/uvu.js";

/**
 * The must-show, in one process: a request with a traceparent, the command, its SQL, the
 * relay's publish and every subscriber's work, in one trace with the right parents. Spans go to an
 * in-memory exporter; trace-export.test.ts runs the same flow across processes to a real OTLP
 * endpoint.
 */
interface Stack {
  readonly name: string;
  readonly persistence: "pglite" | "postgres";
  readonly bus: "memory" | "nats";
}

const STACKS: readonly Stack[] = [
  { name: "pglite + memory bus", persistence: "pglite", bus: "memory" },
  { name: "postgres + nats", persistence: "postgres", bus: "nats" },
];

async function decision(stack: Stack): Promise<ServiceDecision> {
  if (stack.persistence === "pglite") return { run: true };
  const database = await postgresDecision();
  return database.run ? natsDecision() : database;
}

interface Context {
  server?: TestServer;
  spans: RecordedSpans;
  schema?: TestSchema;
  stream?: string;
}

for (const stack of STACKS) {
  const trace = suite<Context>(`one trace from request to subscribers [${stack.name}]`, {
    spans: new RecordedSpans(),
  });
  const decided = await decision(stack);
  if (decided.run) {
    trace.before(async (context) => {
      context.schema = stack.persistence === "postgres" ? await createTestSchema() : undefined;
      context.stream = stack.bus === "nats" ? `keel_trace_${randomBytes(5).toString("hex")}` : undefined;
      context.server = await startTestServer({
        env: {
          TRACING__ENABLED: "true",
          PERSISTENCE__DRIVER: stack.persistence,
          PGLITE__DATA_DIR: "memory://",
          ...(context.schema ? { DATABASE__URL: context.schema.url } : {}),
          EVENT_BUS__DRIVER: stack.bus,
          ...(context.stream ? { EVENT_BUS__STREAM: context.stream, NATS__URL: NATS_URL } : {}),
          WORKER__IN_PROCESS: "true",
          RELAY__POLL_MS: "50",
          PRODUCTS__LOW_STOCK_THRESHOLD: "5",
          PRODUCTS__LOW_STOCK_ALERT_TO: "stock@shop.example",
        },
        overrides: context.spans.override,
      });
    });
    trace.after(async (context) => {
      await context.server?.stop();
      await context.schema?.drop();
      if (context.stream) await deleteStreams(context.stream, `${context.stream}_dead_letters`);
    });
  }

  const spec = async ({ server, spans }: Context) => {
    if (server === undefined) throw new Error("no server");
    const admin = await asAdmin(server.url);
    // Given a product with 8 in stock.
    const created = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers: admin,
      json: { name: "Desk lamp", sku: "LAMP-1", price: 2500, currency: "EUR", stock: 8 },
    });
    assert.is(created.status, 201);

    // When a stock adjustment that crosses the low-stock threshold arrives with a traceparent.
    const caller = newTraceparent();
    const adjusted = await call(`${server.url}/api/v1/products/${created.body.data.id}/stock-adjustments`, {
      method: "POST",
      headers: { ...admin, traceparent: caller.header },
      json: { delta: -5, reason: "damaged" },
    });
    assert.is(adjusted.status, 200);

    // Then both subscribers' spans arrive in the caller's trace, the alert with its mail.
    const all = await eventually(
      "both subscribers' spans and the mail span in the trace",
      async () => spans.inTrace(caller.traceId),
      (found) =>
        found.filter((s) => s.kind === SpanKind.CONSUMER).length >= 2 &&
        found.some((s) => s.name === "send mail"),
    );
    const one = (name: string, where: (s: ReadableSpan) => boolean = () => true) => {
      const matching = all.filter((s) => s.name === name && where(s));
      assert.is(
        matching.length,
        1,
        `one "${name}" span, found ${matching.length}: ${all.map((s) => s.name)}`,
      );
      return matching[0] as ReadableSpan;
    };
    const childrenOf = (parent: ReadableSpan) =>
      all.filter((s) => parentOf(s) === parent.spanContext().spanId);
    const under = (ancestor: ReadableSpan, span: ReadableSpan): boolean => {
      const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
      for (
        let at = parentOf(span);
        at !== undefined;
        at = byId.get(at) && parentOf(byId.get(at) as ReadableSpan)
      )
        if (at === ancestor.spanContext().spanId) return true;
      return false;
    };

    // The HTTP server span continues the caller's span and is named after the route template.
    const server_ = one("POST /api/v1/products/:id/stock-adjustments");
    assert.is(server_.kind, SpanKind.SERVER);
    assert.is(parentOf(server_), caller.spanId);
    assert.is(server_.attributes["http.route"], "/api/v1/products/:id/stock-adjustments");
    assert.is(server_.attributes["http.response.status_code"], 200);
    assert.is(server_.attributes["keel.principal.kind"], "user");
    assert.is(server_.status.code, SpanStatusCode.UNSET);

    // The command is its child; its unit of work holds the SQL, and marks its BEGIN and COMMIT.
    const command = one("command AdjustStock");
    assert.is(parentOf(command), server_.spanContext().spanId);
    assert.is(command.attributes["keel.message"], "AdjustStock");
    const unitOfWork = one("unit of work", (s) => parentOf(s) === command.spanContext().spanId);
    const marks = unitOfWork.events.map((event) => event.name);
    assert.equal(marks, ["BEGIN", "COMMIT"]);
    const sql = childrenOf(unitOfWork).filter((s) => s.attributes["db.system"] === "postgresql");
    const operations = sql.map((s) => s.name);
    assert.ok(operations.includes("UPDATE"), `the stock update among ${operations}`);
    assert.ok(operations.includes("INSERT"), `the event append among ${operations}`);
    for (const statement of sql) assert.is(statement.kind, SpanKind.CLIENT);

    // The relay's publish continues the trace stored with the event, under the unit of work.
    const publish = one("publish product.stock_adjusted");
    assert.is(publish.kind, SpanKind.PRODUCER);
    assert.is(parentOf(publish), unitOfWork.spanContext().spanId);
    assert.is(publish.attributes["messaging.system"], stack.bus);

    // Each subscriber's delivery is a child of the publish, with its own unit of work and SQL.
    for (const subscriber of ["product-stock-history", "product-low-stock-alert"]) {
      const consumer = one(
        "process product.stock_adjusted",
        (s) => s.attributes["keel.subscriber"] === subscriber,
      );
      assert.is(consumer.kind, SpanKind.CONSUMER);
      assert.is(parentOf(consumer), publish.spanContext().spanId, subscriber);
      assert.ok(
        all.some((s) => s.attributes["db.system"] === "postgresql" && under(consumer, s)),
        `${subscriber} has SQL spans`,
      );
    }
    const alert = one(
      "process product.stock_adjusted",
      (s) => s.attributes["keel.subscriber"] === "product-low-stock-alert",
    );
    assert.ok(under(alert, one("send mail")), "the mail is sent under the alert's delivery");

    // And a log line written inside the request carries the server span's trace id.
    const accessLine = server.log
      .lines()
      .find((line) => line.msg === "request completed" && String(line.path).endsWith("/stock-adjustments"));
    assert.ok(accessLine, "the access-log line of the request");
    assert.is(accessLine.trace_id, caller.traceId);
    assert.is(accessLine.span_id, server_.spanContext().spanId);
  };

  const title =
    "given a traceparent on a write, then HTTP, command, SQL, publish and subscribers share its trace";
  if (decided.run) trace(title, spec);
  else trace.skip(`${title} (${decided.reason})`, spec);
  trace.run();
}
