/**
 * What tracing costs: the same keel, tracing off and on, in one run, on two paths.
 *
 * - Read path: `GET /api/v1/products/:id` with the bench admin's bearer token (so every request
 *   verifies a JWT and counts the principal's rate limit too), production profile, memory adapters,
 *   as in http-read.
 * - Write path: `POST /api/v1/products/:id/stock-adjustments` on real PostgreSQL, as in write-path
 *   (about 8 spans a request: server, command, unit of work, BEGIN, SELECT, UPDATE, INSERT, COMMIT).
 *
 * "On" is TRACING__ENABLED=true, TRACING__SAMPLE_RATIO=1 (every request recorded) and the OTLP/HTTP
 * exporter, sending to a sink in this process (lib/otlp-sink.ts) that parses every export and
 * counts its spans. "Off" is TRACING__ENABLED=false, with the exporter still pointed at the sink: a
 * span arriving from an "off" keel fails the run, as does an "on" keel whose spans never arrive.
 * After each run the report says how many spans arrived per traced request and what keel's
 * /metrics counted as dropped (keel_trace_spans_dropped_total: the batch queue was full, or an
 * export failed), since a run that drops spans does less work than one that exports them all.
 *
 * Goals: tracing on at 85% or more of off's req/s on the read path, 90% on the write path.
 *
 * The comparison runs in rounds (BENCH_ROUNDS, 3 by default), each with fresh processes and the
 * order flipped every other round (BENCH_TRACING_ORDER=on-first starts with "on"); the goals are
 * judged on the median of the rounds' ratios. The report also gives keel's CPU time per request
 * (process_cpu_seconds_total), which other load on the machine distorts less than req/s.
 */
import { loadavg } from "node:os";
import { checkAnswer, seedProduct } from "./http-read.js";
import type { HttpTarget, StartedTarget, TargetResult } from "./lib/http-targets.js";
import { measureTargets, progress, selectTargets } from "./lib/http-targets.js";
import { startSignedInKeel } from "./lib/keel.js";
import { type OtlpSink, startOtlpSink } from "./lib/otlp-sink.js";
import type { BenchParams } from "./lib/params.js";
import { assertPostgresReachable, BENCH_DATABASE_URL, redacted } from "./lib/postgres-schema.js";
import { type Goal, type GoalVerdict, printComparison, ratios, table } from "./lib/report.js";
import type { Scenario, ScenarioOutcome } from "./lib/scenario.js";
import type { RunningServer } from "./lib/spawn-server.js";
import { ADJUSTMENT } from "./stock-adjustment.js";
import {
  checkAdjustments,
  inFreshSchema,
  POOL_SIZE,
  postgresKeelEnv,
  productCount,
  seeded,
} from "./write-path.js";

const PRODUCT_URL_PATH = "/api/v1/products/";
const READ_GOAL = 0.85;
const WRITE_GOAL = 0.9;

/** What one keel process sent and counted, from its start (after seeding) to its stop. */
export interface TracingAccount {
  readonly tracing: "off" | "on";
  /** The machine's 1-minute load average when the target started (2 cores: above 2, others compete). */
  readonly loadAverageAtStart: number;
  /** Requests keel answered on traced routes (everything but /health/* and /metrics). */
  readonly tracedRequests: number;
  /** Spans the sink received from this keel while it was loaded, the final flush at stop included. */
  readonly spansReceived: number;
  readonly spansPerRequest: number;
  /**
   * keel's CPU time (process_cpu_seconds_total, user + system) per traced request over the same
   * span: what tracing costs keel itself, less sensitive than req/s to what else the machine runs.
   */
  readonly cpuUsPerRequest: number;
  /** Spans per traced request, by span name (the three commonest first). */
  readonly spansByName: Readonly<Record<string, number>>;
  /** keel_trace_spans_exported_total over the process's whole life (seeding included), before it stopped. */
  readonly keelExported: number | null;
  /** keel_trace_spans_dropped_total by reason, over the process's whole life; empty when none. */
  readonly keelDropped: Readonly<Record<string, number>>;
  /** Export requests and bytes the sink received while this keel was loaded. */
  readonly exports: number;
  readonly exportBytes: number;
  /** Milliseconds the sink (in the harness process) spent parsing those exports. */
  readonly sinkParseMs: number;
}

export const tracing: Scenario = {
  name: "tracing",
  description:
    "tracing off vs on (sample ratio 1, OTLP/HTTP to a local sink): authenticated GET /api/v1/products/:id " +
    "(memory adapters) and POST /api/v1/products/:id/stock-adjustments (PostgreSQL)",
  async run(params: BenchParams): Promise<ScenarioOutcome | undefined> {
    const sink = await startOtlpSink();
    try {
      const accounts = new Map<string, TracingAccount>();
      const rounds: TargetResult[][] = [];
      const count = roundCount();
      for (let round = 1; round <= count; round++) {
        // The order flips every round, so drift on a shared machine does not favour one side.
        const order = round % 2 === 1 ? tracingOrder() : flipped(tracingOrder());
        const selected = selectTargets(targets(sink, accounts, productCount(params), order, round), params);
        if (selected.length === 0) return undefined;
        const reads = selected.filter((t) => t.name.startsWith("read-"));
        const writes = selected.filter((t) => t.name.startsWith("write-"));
        if (writes.length > 0 && round === 1) await assertPostgresReachable();
        progress(`round ${round} of ${count}: ${order.join(" then ")}`);
        rounds.push([
          ...(await measureTargets(reads, params, checkAnswer)),
          ...(await measureTargets(writes, params, checkAdjustments)),
        ]);
      }
      const results = combined(rounds);
      const found = ratios(results, PAIRS);
      const perRound = PAIRS.map(([on, off]) => ({
        name: `${on}/${off}`,
        ratios: rounds.flatMap((round) => ratios(round, [[on, off]]).map((r) => r.reqPerSec)),
      })).filter((pair) => pair.ratios.length > 0);
      const goals = [
        medianVerdict({ numerator: "read-on", denominator: "read-off", min: READ_GOAL }, perRound),
        medianVerdict({ numerator: "write-on", denominator: "write-off", min: WRITE_GOAL }, perRound),
      ];
      printComparison(this.description, results, found, goals);
      process.stdout.write(`${report(results, accounts, sink, perRound).join("\n")}\n`);
      return {
        result: {
          targets: results,
          ratios: found,
          roundRatios: perRound,
          goals,
          tracing: Object.fromEntries(accounts),
          settings: {
            rounds: count,
            order: `${tracingOrder().join(" then ")}, flipped every other round`,
            on: tracingEnv("on", "<sink>"),
            off: tracingEnv("off", "<sink>"),
            sink: "OTLP/HTTP JSON sink in the harness process: reads, JSON-parses and counts every export, answers 200 {}",
          },
          load: {
            read: "GET /api/v1/products/:id, Authorization: Bearer <bench admin's access token>",
            write: { request: "POST /api/v1/products/:id/stock-adjustments", body: ADJUSTMENT },
          },
          postgres: { url: redacted(BENCH_DATABASE_URL), poolSize: Number(POOL_SIZE) },
        },
      };
    } finally {
      await sink.close();
    }
  },
};

const PAIRS = [
  ["read-on", "read-off"],
  ["write-on", "write-off"],
] as const;

type Order = readonly ["off", "on"] | readonly ["on", "off"];

function flipped([first]: Order): Order {
  return first === "off" ? ["on", "off"] : ["off", "on"];
}

/**
 * Rounds of the whole comparison (`BENCH_ROUNDS`, 3 by default), each with fresh processes. On the
 * two-core machine one process can run 20% slower than its twin for the whole of its life, whatever
 * it traces; the goal is judged on the median of the rounds' ratios, which one such process cannot move.
 */
function roundCount(): number {
  const raw = process.env.BENCH_ROUNDS ?? "3";
  const rounds = Number(raw);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`BENCH_ROUNDS must be a whole number ≥ 1, got "${raw}"`);
  return rounds;
}

/** One result per target over all rounds: req/s and latencies are the rounds' medians, counts their sums. */
function combined(rounds: readonly (readonly TargetResult[])[]): TargetResult[] {
  const names = [...new Set(rounds.flat().map((r) => r.name))];
  return names.map((name) => {
    const runs = rounds.flat().filter((r) => r.name === name);
    const first = runs[0] as TargetResult;
    const sum = (pick: (r: TargetResult) => number) => runs.reduce((total, r) => total + pick(r), 0);
    return {
      ...first,
      reqPerSec: median(runs.map((r) => r.reqPerSec)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      meanLatencyMs: median(runs.map((r) => r.meanLatencyMs)),
      maxLatencyMs: Math.max(...runs.map((r) => r.maxLatencyMs)),
      bytesPerSec: median(runs.map((r) => r.bytesPerSec)),
      totalRequests: sum((r) => r.totalRequests),
      non2xx: sum((r) => r.non2xx),
      errors: sum((r) => r.errors),
      timeouts: sum((r) => r.timeouts),
      durationSec: sum((r) => r.durationSec),
    };
  });
}

function medianVerdict(
  goal: Goal,
  perRound: readonly { readonly name: string; readonly ratios: readonly number[] }[],
): GoalVerdict {
  const found = perRound.find((pair) => pair.name === `${goal.numerator}/${goal.denominator}`);
  if (found === undefined) return { ...goal, actual: null, met: null };
  const actual = median(found.ratios);
  return { ...goal, actual, met: actual >= goal.min };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Which side of each pair runs first (`BENCH_TRACING_ORDER=off-first|on-first`, off-first by default).
 * On a shared machine the load drifts during a run; alternating the order between runs keeps that
 * drift from always counting against the same side.
 */
function tracingOrder(): Order {
  const order = process.env.BENCH_TRACING_ORDER ?? "off-first";
  if (order === "off-first") return ["off", "on"];
  if (order === "on-first") return ["on", "off"];
  throw new Error(`BENCH_TRACING_ORDER must be off-first or on-first, got "${order}"`);
}

function tracingEnv(mode: "off" | "on", sinkUrl: string): Record<string, string> {
  return {
    TRACING__ENABLED: mode === "on" ? "true" : "false",
    TRACING__EXPORTER: "otlp",
    // Off too: an "off" keel that sent anything would show up at the sink and fail the run.
    TRACING__OTLP_ENDPOINT: sinkUrl,
    TRACING__SAMPLE_RATIO: "1",
  };
}

function targets(
  sink: OtlpSink,
  accounts: Map<string, TracingAccount>,
  products: number,
  [first, second]: Order,
  roundNumber: number,
): HttpTarget[] {
  const read = (mode: "off" | "on"): HttpTarget => ({
    name: `read-${mode}`,
    description: `keel serve, production profile, in-memory adapters, tracing ${mode}; reads with a bearer token`,
    start: accounted(`read-${mode}`, roundNumber, mode, sink, accounts, async () => {
      const { server, authorization } = await startSignedInKeel(tracingEnv(mode, sink.url));
      try {
        const id = await seedProduct(server.origin, authorization);
        return {
          url: `${server.origin}${PRODUCT_URL_PATH}${encodeURIComponent(id)}`,
          request: { headers: { authorization } },
          server,
          authorization,
        };
      } catch (error) {
        await server.stop();
        throw error;
      }
    }),
  });
  const write = (mode: "off" | "on"): HttpTarget => ({
    name: `write-${mode}`,
    description: `keel serve, production profile, PostgreSQL (pool of ${POOL_SIZE}), tracing ${mode}`,
    start: accounted(`write-${mode}`, roundNumber, mode, sink, accounts, () =>
      inFreshSchema(async (schema) =>
        seeded(
          await startSignedInKeel({ ...postgresKeelEnv(schema), ...tracingEnv(mode, sink.url) }),
          products,
        ),
      ),
    ),
  });
  return [read(first), read(second), write(first), write(second)];
}

/**
 * Wraps a target's start so that, once it is seeded, the sink and keel's counters are read, and
 * read again when measureTargets stops it: the difference is what the checked, warmed-up and
 * measured load cost in spans. Throws at stop (failing the run) when an "on" keel's spans never
 * arrived or an "off" keel sent any.
 */
function accounted(
  name: string,
  roundNumber: number,
  mode: "off" | "on",
  sink: OtlpSink,
  accounts: Map<string, TracingAccount>,
  start: () => Promise<StartedTarget>,
): () => Promise<StartedTarget> {
  return async () => {
    const load = round(loadavg()[0] ?? 0, 2);
    progress(`${name}: load average ${load} before start`);
    const started = await start();
    const server = started.server;
    let before: { sink: ReturnType<OtlpSink["counts"]>; names: ReadonlyMap<string, number>; keel: Scrape };
    try {
      // Seeding's and the sign-in's spans arrive within a batch delay; they are not the load's.
      await sink.quiet();
      before = { sink: sink.counts(), names: sink.spanNames(), keel: await scrape(server.origin) };
    } catch (error) {
      await server.stop();
      throw error;
    }
    const stop = async () => {
      let keel: Scrape;
      try {
        await sink.quiet();
        keel = await scrape(server.origin);
      } finally {
        // Stopping flushes what keel still holds; the sink has it once the process has exited.
        await server.stop();
      }
      const after = sink.counts();
      const spans = after.spans - before.sink.spans;
      const requests = keel.tracedRequests - before.keel.tracedRequests;
      const account: TracingAccount = {
        tracing: mode,
        loadAverageAtStart: load,
        tracedRequests: requests,
        spansReceived: spans,
        spansPerRequest: requests > 0 ? round(spans / requests, 2) : 0,
        cpuUsPerRequest:
          requests > 0 ? round(((keel.cpuSeconds - before.keel.cpuSeconds) * 1e6) / requests, 1) : 0,
        spansByName: perRequestByName(before.names, sink.spanNames(), requests),
        keelExported: keel.exported,
        keelDropped: keel.dropped,
        exports: after.requests - before.sink.requests,
        exportBytes: after.bytes - before.sink.bytes,
        sinkParseMs: after.parseMs - before.sink.parseMs,
      };
      accounts.set(`${name} #${roundNumber}`, account);
      if (mode === "on" && spans === 0)
        throw new Error(
          `${name}: the run is not a valid measurement: tracing was on but the sink received no span ` +
            `(${requests} traced requests; keel exported ${keel.exported ?? "?"}, dropped ` +
            `${JSON.stringify(keel.dropped)})\n--- last output of keel ---\n${server.outputTail()}`,
        );
      if (mode === "off" && after.spans + after.rejected > before.sink.spans + before.sink.rejected)
        throw new Error(`${name}: the run is not a valid measurement: tracing was off but spans arrived`);
      if (after.rejected > before.sink.rejected)
        throw new Error(
          `${name}: the sink refused ${after.rejected - before.sink.rejected} exports as not OTLP/JSON`,
        );
    };
    const wrapped: RunningServer = {
      name: server.name,
      origin: server.origin,
      outputTail: () => server.outputTail(),
      stop,
    };
    return { ...started, server: wrapped };
  };
}

interface Scrape {
  readonly tracedRequests: number;
  readonly cpuSeconds: number;
  readonly exported: number | null;
  readonly dropped: Record<string, number>;
}

/** keel's /metrics (open in the bench profile: no METRICS__BEARER_TOKEN), reduced to what we compare. */
async function scrape(origin: string): Promise<Scrape> {
  const response = await fetch(`${origin}/metrics`);
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET /metrics answered ${response.status} ${text.slice(0, 200)}`);
  let tracedRequests = 0;
  let cpuSeconds = 0;
  let exported: number | null = null;
  const dropped: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (sample === null) continue;
    const [, metric, rawLabels = "", rawValue = ""] = sample;
    const value = Number(rawValue);
    const labels = Object.fromEntries(
      [...rawLabels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (metric === "keel_http_requests_total") {
      const route = labels.route ?? "";
      if (route !== "/metrics" && !route.startsWith("/health")) tracedRequests += value;
    } else if (metric === "process_cpu_seconds_total") cpuSeconds = value;
    else if (metric === "keel_trace_spans_exported_total") exported = value;
    else if (metric === "keel_trace_spans_dropped_total") dropped[labels.reason ?? "?"] = value;
  }
  return { tracedRequests, cpuSeconds, exported, dropped };
}

function perRequestByName(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  requests: number,
): Record<string, number> {
  if (requests === 0) return {};
  return Object.fromEntries(
    [...after]
      .map(([name, count]) => [name, round((count - (before.get(name) ?? 0)) / requests, 2)] as const)
      .filter(([, perRequest]) => perRequest > 0)
      .sort((a, b) => b[1] - a[1]),
  );
}

function report(
  results: readonly TargetResult[],
  accounts: ReadonlyMap<string, TracingAccount>,
  sink: OtlpSink,
  perRound: readonly { readonly name: string; readonly ratios: readonly number[] }[],
): string[] {
  const rows = [...accounts].map(([name, a]) => {
    const dropped = Object.values(a.keelDropped).reduce((sum, n) => sum + n, 0);
    return [
      name,
      String(a.tracedRequests),
      a.cpuUsPerRequest.toFixed(0),
      String(a.spansReceived),
      a.tracing === "on" ? a.spansPerRequest.toFixed(2) : "-",
      a.keelExported === null ? "-" : String(a.keelExported),
      a.tracing === "on" ? `${dropped}${dropped > 0 ? ` ${JSON.stringify(a.keelDropped)}` : ""}` : "-",
      String(a.exports),
      (a.exportBytes / 2 ** 20).toFixed(1),
      String(a.sinkParseMs),
    ];
  });
  const lines = [
    ...perRound.map(
      (pair) =>
        `${pair.name} req/s by round: ${pair.ratios.map(percent).join(", ")} (goal judged on the median)`,
    ),
    "",
    "Spans per process, by round (traced requests: keel_http_requests_total outside /health and /metrics,",
    "from after seeding to stop; keel CPU: process_cpu_seconds_total over the same span, per traced request;",
    "exported and dropped: keel's own counters over the process's life, read before it stopped):",
    "",
    table(
      [
        "target",
        "traced requests",
        "keel CPU µs/req",
        "spans received",
        "spans/request",
        "keel exported",
        "keel dropped",
        "exports",
        "MiB",
        "sink parse ms",
      ],
      rows,
    ),
    "",
  ];
  const byTarget = (name: string) =>
    [...accounts].filter(([key]) => key.startsWith(`${name} #`)).map(([, a]) => a);
  for (const r of results) {
    const last = byTarget(r.name).at(-1);
    if (last === undefined || last.tracing !== "on") continue;
    const names = Object.entries(last.spansByName)
      .map(([name, n]) => `${name} ${n}`)
      .join(", ");
    lines.push(`${r.name} spans per request by name: ${names}`);
  }
  for (const path of ["read", "write"]) {
    const off = median(byTarget(`${path}-off`).map((a) => a.cpuUsPerRequest));
    const onAccounts = byTarget(`${path}-on`);
    const on = median(onAccounts.map((a) => a.cpuUsPerRequest));
    if (Number.isNaN(off) || Number.isNaN(on) || off === 0) continue;
    const extra = on - off;
    const spans = median(onAccounts.map((a) => a.spansPerRequest));
    lines.push(
      `${path}: keel CPU per request on/off (medians over rounds) ${percent(on / off)} ` +
        `(+${extra.toFixed(0)} µs a request, ${spans > 0 ? (extra / spans).toFixed(1) : "?"} µs a span)`,
    );
  }
  const total = sink.counts();
  lines.push(
    "",
    `The sink runs in the harness process (beside autocannon) and JSON-parses every export: ${total.parseMs} ms ` +
      `of parsing for ${total.spans} spans in ${total.requests} exports over the whole scenario.`,
    "",
  );
  return lines;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
