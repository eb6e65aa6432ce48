/**
 * A stand-in OTLP/HTTP trace collector in the harness process: it accepts `POST /v1/traces` (JSON, as
 * keel's exporter sends), reads and parses every body, answers 200 `{}` and counts what it received —
 * requests, bytes, spans (resourceSpans[].scopeSpans[].spans[]) and spans by name. Parsing is timed,
 * so a report can say what the sink cost the process that also runs the load generator.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { gunzipSync } from "node:zlib";
import { exportedSpans } from "../../support/otlp-json.js";

export const OTLP_TRACES_PATH = "/v1/traces";

export interface SinkCounts {
  /** Export requests answered 200. */
  readonly requests: number;
  /** Bytes of their bodies, as sent (compressed when they were). */
  readonly bytes: number;
  readonly spans: number;
  /** Bodies refused (not JSON, not OTLP): answered 400, so keel counts them as failed exports. */
  readonly rejected: number;
  /** Milliseconds spent decoding, parsing and counting bodies (not reading them off the socket). */
  readonly parseMs: number;
}

export interface OtlpSink {
  /** `http://127.0.0.1:<port>/v1/traces`, for TRACING__OTLP_ENDPOINT. */
  readonly url: string;
  counts(): SinkCounts;
  /** Spans received by name since the sink started (a snapshot). */
  spanNames(): ReadonlyMap<string, number>;
  /**
   * Resolves once no export has arrived for `quietMs`, counted from the call at the earliest (a
   * batch is sent at most `scheduledDelay`, 1 s, after its spans ended, so a longer quiet means
   * nothing ended before the call is still queued), or after `maxMs` whatever arrives.
   */
  quiet(quietMs?: number, maxMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let requests = 0;
  let bytes = 0;
  let spans = 0;
  let rejected = 0;
  let parseMs = 0;
  let lastArrival = 0;
  const names = new Map<string, number>();

  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url?.split("?")[0] !== OTLP_TRACES_PATH) {
      answer(res, 404, { error: "not found" });
      return;
    }
    void readBody(req).then(
      (body) => {
        lastArrival = performance.now();
        const started = performance.now();
        const found = spansIn(body, req.headers["content-encoding"]);
        parseMs += performance.now() - started;
        if (found === undefined) {
          rejected += 1;
          answer(res, 400, { error: "not an OTLP/JSON trace export" });
          return;
        }
        requests += 1;
        bytes += body.length;
        spans += found.length;
        for (const name of found) names.set(name, (names.get(name) ?? 0) + 1);
        answer(res, 200, {});
      },
      () => answer(res, 400, { error: "unreadable body" }),
    );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the OTLP sink has no port");

  return {
    url: `http://127.0.0.1:${address.port}${OTLP_TRACES_PATH}`,
    counts: () => ({ requests, bytes, spans, rejected, parseMs: Math.round(parseMs) }),
    spanNames: () => new Map(names),
    async quiet(quietMs = 1500, maxMs = 15_000) {
      // Counted from the call at the earliest: spans ended just before it may not have been sent yet.
      const since = performance.now();
      const deadline = since + maxMs;
      for (;;) {
        const now = performance.now();
        if (now - Math.max(lastArrival, since) >= quietMs || now >= deadline) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The names of the spans in an OTLP/JSON export body; undefined when it is not one. */
function spansIn(body: Buffer, encoding: string | string[] | undefined): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse((encoding === "gzip" ? gunzipSync(body) : body).toString("utf8"));
  } catch {
    return undefined;
  }
  return exportedSpans(parsed)?.map(({ span }) => (typeof span.name === "string" ? span.name : "(unnamed)"));
}

function answer(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
