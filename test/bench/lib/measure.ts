/**
 * One autocannon run against one URL, reduced to the figures the reports compare. Autocannon runs in
 * the harness process; the server is always another process.
 */
import { createHistogram } from "node:perf_hooks";
import autocannon from "autocannon";

export interface Load {
  readonly durationSec: number;
  readonly connections: number;
  readonly pipelining: number;
}

/** What each request sends, for scenarios beyond a plain GET (writes, logins); a plain GET when omitted. */
export type RequestShape = Pick<autocannon.Options, "method" | "headers" | "body" | "requests">;

export interface Measurement {
  /** Mean of the per-second request counts. */
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly totalRequests: number;
  /** Mean response bytes per second (headers included), to spot targets sending different payloads. */
  readonly bytesPerSec: number;
  readonly non2xx: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly durationSec: number;
}

export async function measure(url: string, load: Load, request: RequestShape = {}): Promise<Measurement> {
  // Autocannon's own latency histogram keeps whole milliseconds, too coarse for a server answering in
  // one or two; this one records microseconds for every response (2xx or not), at a cost of one native
  // call per response, the same for every target.
  const latencyUs = createHistogram({ lowest: 1, highest: 60_000_000, figures: 3 });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        ...request,
        url,
        duration: load.durationSec,
        connections: load.connections,
        pipelining: load.pipelining,
      },
      (error: unknown, finished: autocannon.Result) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, _status, _bytes, responseTimeMs) => {
      latencyUs.record(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
  const ms = (us: number) => round(us / 1000, 3);
  return {
    reqPerSec: round(result.requests.mean, 1),
    p50Ms: ms(latencyUs.percentile(50)),
    p99Ms: ms(latencyUs.percentile(99)),
    meanLatencyMs: ms(latencyUs.mean),
    maxLatencyMs: ms(latencyUs.max),
    totalRequests: result.requests.total,
    bytesPerSec: Math.round(result.throughput.mean),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
    ),
    durationSec: result.duration,
  };
}

/** Why a run cannot be trusted; empty when every request got a 2xx. */
export function problems(m: Measurement): string[] {
  const found: string[] = [];
  if (m.totalRequests === 0) found.push("no request completed");
  if (m.non2xx > 0)
    found.push(`${m.non2xx} non-2xx responses (status codes: ${JSON.stringify(m.statusCodes)})`);
  if (m.errors > 0) found.push(`${m.errors} connection errors (${m.timeouts} timeouts)`);
  return found;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
