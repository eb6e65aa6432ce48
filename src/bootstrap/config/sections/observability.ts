import { boolean, httpUrl, nonEmptyString, oneOf, optionalText, ratio } from "../codecs.js";
import { setting } from "../define-config.js";

// Observability: metrics, tracing and the API documents.

export const metricsSettings = {
  enabled: setting(boolean, {
    default: "true",
    live: false,
    description:
      "Serve Prometheus metrics at /metrics (on the API port, and on the worker's health port); false answers 404.",
  }),
  bearerToken: setting(optionalText, {
    default: "",
    live: false,
    secret: true,
    description:
      "When set, /metrics requires Authorization: Bearer <token> (401 otherwise); empty leaves it open.",
  }),
};

export const docsSettings = {
  enabled: setting(boolean, {
    default: { development: "true", test: "true", production: "false" },
    live: false,
    description:
      "Serve the OpenAPI documents (/openapi/v1.json, /openapi/v2.json) and Swagger UI (/docs); false answers 404.",
  }),
};

export const tracingSettings = {
  enabled: setting(boolean, {
    default: { development: "false", test: "false", production: "true" },
    live: false,
    description: "Record OpenTelemetry traces of requests, commands, queries, SQL, relay and subscribers.",
  }),
  exporter: setting(oneOf(["otlp", "console", "none"]), {
    default: { development: "console", test: "none", production: "otlp" },
    live: false,
    description:
      "Where spans go: an OTLP/HTTP collector, JSON lines on stdout, or nowhere (sampled, not sent).",
  }),
  otlpEndpoint: setting(httpUrl, {
    default: "http://127.0.0.1:4318/v1/traces",
    live: false,
    description: "OTLP/HTTP traces endpoint of the collector (its /v1/traces URL).",
  }),
  sampleRatio: setting(ratio, {
    default: { development: "1", test: "1", production: "0.1" },
    live: false,
    description:
      "Share of new traces recorded; a request that arrives with a sampled traceparent is always recorded (parent-based).",
  }),
  serviceName: setting(nonEmptyString, {
    default: "keel",
    live: false,
    description: "service.name of every span.",
  }),
};
