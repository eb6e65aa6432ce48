import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import type { Container } from "inversify";
import * as assert from "uvu/assert";
import { ProductReadModel } from "../../../src/ports/product/product-read-model.js";
import { asAdmin } from "../../support/auth.js";
import { eventually } from "../../support/eventually.js";
import { newTraceparent, parentOf, RecordedSpans } from "../../support/recorded-spans.js";
import { call, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

/**
 * What a server span says about how a request ended: a 4xx is the client's doing and leaves the
 * status unset, a 5xx is ERROR with the exception; refusals are not errors on the command span
 * either; probes are not traced; a caller's unsampled traceparent is respected.
 */
const outcomes = suite<{ server: TestServer; spans: RecordedSpans }>("span outcomes", {
  spans: new RecordedSpans(),
} as { server: TestServer; spans: RecordedSpans });

outcomes.before(async (context) => {
  context.server = await startTestServer({
    env: { TRACING__ENABLED: "true" },
    overrides: (container: Container) => {
      context.spans.override(container);
      // Listing products crashes, as a bug would.
      container.rebind(ProductReadModel).toConstantValue({
        get: async () => undefined,
        list: async () => {
          throw new TypeError("cannot read properties of undefined (reading 'rows')");
        },
      });
    },
  });
});
outcomes.after(async ({ server }) => {
  await server.stop();
});

async function traced(
  server: TestServer,
  spans: RecordedSpans,
  path: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown } = {},
) {
  const parent = newTraceparent();
  const response = await call(`${server.url}${path}`, {
    ...init,
    headers: { ...init.headers, traceparent: parent.header },
  });
  const found = await eventually(
    `the server span of ${path}`,
    async () => spans.inTrace(parent.traceId),
    (all) => all.some((span) => span.kind === SpanKind.SERVER),
  );
  return {
    response,
    spans: found,
    server: found.find((span) => span.kind === SpanKind.SERVER) as ReadableSpan,
  };
}

outcomes(
  "given a path no route matches, then the 404 span is named by its method only and is not an error",
  async ({ server, spans }) => {
    const { response, server: span } = await traced(server, spans, "/api/v1/nothing-here/42");
    assert.is(response.status, 404);
    assert.is(span.name, "GET");
    assert.is(span.attributes["http.route"], undefined, "no route template for an unknown path");
    assert.is(span.attributes["url.path"], "/api/v1/nothing-here/42");
    assert.is(span.attributes["http.response.status_code"], 404);
    assert.is(span.status.code, SpanStatusCode.UNSET);
  },
);

outcomes(
  "given a request refused before routing (401), then its span still names the route template, and is not an error",
  async ({ server, spans }) => {
    const { response, server: span } = await traced(server, spans, "/api/v1/products", {
      headers: { authorization: "Bearer not-a-token" },
    });
    assert.is(response.status, 401);
    assert.is(span.name, "GET /api/v1/products");
    assert.is(span.attributes["http.route"], "/api/v1/products");
    assert.is(span.status.code, SpanStatusCode.UNSET);
  },
);

outcomes(
  "given a refused command (422), then neither the server span nor the command span is an error",
  async ({ server, spans }) => {
    const {
      response,
      spans: all,
      server: span,
    } = await traced(server, spans, "/api/v1/products", {
      method: "POST",
      headers: await asAdmin(server.url),
      json: { name: "Bad", sku: "BAD-1", price: -5, currency: "EUR", stock: 1 },
    });
    assert.ok(response.status >= 400 && response.status < 500, `a 4xx: ${response.status}`);
    assert.is(span.status.code, SpanStatusCode.UNSET);
    for (const other of all) assert.is.not(other.status.code, SpanStatusCode.ERROR, other.name);
  },
);

outcomes(
  "given a handler that crashes, then the 500 span is ERROR with the exception, and so is the query span",
  async ({ server, spans }) => {
    const { response, spans: all, server: span } = await traced(server, spans, "/api/v1/products");
    assert.is(response.status, 500);
    assert.is(span.name, "GET /api/v1/products");
    assert.is(span.status.code, SpanStatusCode.ERROR);
    const exception = span.events.find((event) => event.name === "exception");
    assert.is(exception?.attributes?.["exception.type"], "TypeError");
    const query = all.find((other) => other.name === "query ListProducts");
    assert.ok(query, "the query span");
    assert.is(parentOf(query), span.spanContext().spanId);
    assert.is(query.status.code, SpanStatusCode.ERROR);
    assert.is(query.attributes["keel.outcome"], "error");
  },
);

outcomes("given probes and scrapes, then they start no trace", async ({ server, spans }) => {
  const before = spans.all().length;
  for (const path of ["/health/live", "/health/ready", "/metrics"])
    assert.is((await call(`${server.url}${path}`)).status, 200, path);
  assert.is(spans.all().length, before);
});

outcomes(
  "given a caller's traceparent that is not sampled, then keel records nothing of the request (parent-based sampling)",
  async ({ server, spans }) => {
    const parent = newTraceparent();
    const unsampled = parent.header.replace(/-01$/, "-00");
    const before = spans.all().length;
    assert.is(
      (
        await call(`${server.url}/api/v1/unsampled-path`, {
          headers: { traceparent: unsampled },
        })
      ).status,
      404,
    );
    // A sampled request after it is recorded: the unsampled one had time to appear, and did not.
    await traced(server, spans, "/api/v1/nothing");
    assert.is(spans.inTrace(parent.traceId).length, 0);
    assert.ok(spans.all().length > before);
  },
);

outcomes.run();
