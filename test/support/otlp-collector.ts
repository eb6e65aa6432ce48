import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { attributesOf, exportedSpans } from "./otlp-json.js";
import { recordTelemetry } from "./output-record.js";

/** A span as an OTLP/HTTP JSON export carries it, reduced to what tests look at. */
export interface CollectedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  readonly status: number;
}

/**
 * A real OTLP/HTTP trace endpoint on loopback (POST /v1/traces, JSON encoding, as keel's exporter
 * sends it), keeping what it receives.
 */
export class OtlpCollector {
  readonly spans: CollectedSpan[] = [];
  requests = 0;
  /** When set, every export is answered with this status (503: down, 400: refused for good). */
  refuseWith: number | undefined;

  private constructor(private readonly server: Server) {
    recordTelemetry("OTLP export", () => JSON.stringify(this.spans));
  }

  static async start(): Promise<OtlpCollector> {
    const server = createServer();
    const collector = new OtlpCollector(server);
    server.on("request", (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        collector.requests += 1;
        if (request.method !== "POST" || request.url !== "/v1/traces") {
          response.writeHead(404).end();
          return;
        }
        if (collector.refuseWith !== undefined) {
          response.writeHead(collector.refuseWith).end();
          return;
        }
        collector.accept(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return collector;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  inTrace(traceId: string): CollectedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(request: unknown): void {
    for (const { resource, span } of exportedSpans(request) ?? []) {
      const parentSpanId = span.parentSpanId;
      this.spans.push({
        service: String(resource["service.name"]),
        traceId: String(span.traceId),
        spanId: String(span.spanId),
        ...(typeof parentSpanId === "string" && parentSpanId !== "" ? { parentSpanId } : {}),
        name: String(span.name),
        kind: Number(span.kind),
        attributes: attributesOf(span.attributes),
        status: Number((span.status as { code?: number } | undefined)?.code ?? 0),
      });
    }
  }
}
