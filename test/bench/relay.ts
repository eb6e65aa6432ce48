/**
 * The relay (ARCHITECTURE.md, "Events, end to end"), on PostgreSQL and NATS JetStream, in two parts.
 *
 * Throughput: one schema is migrated by `keel migrate up` and pre-filled with N events written like
 * keel writes them (one product.created then product.stock_adjusted events per product, products
 * interleaved). Each target then publishes all N to a fresh stream, one PubAck at a time:
 * - raw-publish: a bare JetStream loop over the same events built in memory (the floor of publishing);
 * - raw-pg-publish: the same loop reading the log in keel's commit-safe order in batches, saving a
 *   checkpoint per batch (the floor of "read the log, publish, checkpoint");
 * - keel-relay: keel's relay alone (relay-only-worker.ts: keel's container, without subscribers);
 * - keel-worker: `keel worker` as deployed, the two subscribers consuming while the relay publishes.
 * keel is timed from its "relay is active" log line to the checkpoint row reaching the last event
 * (both stamped by the worker's clock); the stream must then hold exactly N messages.
 *
 * End to end: `keel serve` and `keel worker` (separate processes) on one schema and stream; stock
 * adjustments go out at a fixed rate (open loop: each at its scheduled time, whatever the previous
 * ones are doing), and each is timed from its HTTP 200 (committed) to its stock movement (the
 * projection's row for that product version) being visible in PostgreSQL. The seeding and the
 * adjustments carry the bench admin's bearer token (signed in once, when keel serve is up).
 *
 * Environment: BENCH_RELAY_EVENTS (20000), RELAY__BATCH_SIZE (200), BENCH_E2E_RATE (per s, 50),
 * BENCH_E2E_SECONDS (10; BENCH_WARMUP seconds at the same rate come first, unrecorded),
 * BENCH_NATS_URL (nats://127.0.0.1:4222), BENCH_DATABASE_URL. BENCH_ONLY takes the target names
 * above and `e2e`.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { PRODUCTION_SECRETS } from "../support/child-process.js";
import { registerCleanup } from "./lib/cleanup.js";
import { progress } from "./lib/http-targets.js";
import { startSignedInKeel } from "./lib/keel.js";
import { round } from "./lib/measure.js";
import type { BenchParams } from "./lib/params.js";
import {
  assertPostgresReachable,
  BENCH_DATABASE_URL,
  type BenchSchema,
  createBenchSchema,
  redacted,
} from "./lib/postgres-schema.js";
import { table } from "./lib/report.js";
import type { Scenario, ScenarioOutcome } from "./lib/scenario.js";
import { type RunningServer, runToCompletion, spawnServer } from "./lib/spawn-server.js";
import {
  ADJUSTMENT,
  adjustmentPath,
  envelopeData,
  parseJson,
  seedProducts,
  writeHeaders,
} from "./stock-adjustment.js";

export const NATS_URL = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
/** Pre-filled events per product: its product.created, then stock adjustments. */
const EVENTS_PER_PRODUCT = 100;
/** How often the checkpoint row is read while keel publishes. */
const CHECKPOINT_POLL_MS = 50;
/** How often the end-to-end run looks for the movements it waits for. */
const EFFECT_POLL_MS = 5;
/** An effect not visible this long after its command's 200 fails the run. */
const EFFECT_TIMEOUT_MS = 10_000;

interface Settings {
  readonly events: number;
  readonly batchSize: number;
  readonly rate: number;
  readonly seconds: number;
  readonly warmupSec: number;
}

interface ThroughputResult {
  readonly name: string;
  readonly description: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  /** keel-worker: movements the projection had recorded when the relay reached the last event. */
  readonly projectedWhenDone?: number;
}

interface LogEnd {
  readonly transactionId: string;
  readonly position: string;
}

interface Published {
  readonly events: number;
  readonly seconds: number;
  readonly projectedWhenDone?: number;
}

interface ThroughputTarget {
  readonly name: string;
  readonly description: string;
  run(schema: BenchSchema, end: LogEnd, settings: Settings): Promise<Published>;
}

interface EndToEndResult {
  readonly samples: number;
  readonly warmupSamples: number;
  readonly targetRatePerSec: number;
  readonly achievedRatePerSec: number;
  readonly products: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly resolutionMs: string;
  readonly http: { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  /** Latest a command went out after its scheduled time (the pacing's own error). */
  readonly maxScheduleLagMs: number;
  /** Mean latency of the first and last tenth of the samples, in commit order. */
  readonly firstTenthMeanMs: number;
  readonly lastTenthMeanMs: number;
  /**
   * Latency grew through the run: the worker did not keep up with the rate, so the figures measure a
   * growing queue (they depend on the run's length), not a steady state.
   */
  readonly saturated: boolean;
}

export const relay: Scenario = {
  name: "relay",
  description:
    "Outbox relay on PostgreSQL + NATS JetStream: publish throughput (keel vs a raw JetStream loop) and commit-to-subscriber latency at a fixed rate",
  async run(params: BenchParams): Promise<ScenarioOutcome | undefined> {
    const settings = readSettings(params);
    const only = params.onlyTargets;
    const picked = only === undefined ? THROUGHPUT : THROUGHPUT.filter((t) => only.includes(t.name));
    const e2e = only === undefined || only.includes("e2e");
    if (picked.length === 0 && !e2e) return undefined;
    await assertPostgresReachable();
    await assertNatsReachable();

    const throughput = picked.length === 0 ? [] : await measureThroughput(picked, settings);
    const found = throughputRatios(throughput);
    const latency = e2e ? await measureEndToEnd(settings) : undefined;
    printReport(throughput, found, latency, settings);
    return {
      result: {
        throughput: {
          events: settings.events,
          batchSize: settings.batchSize,
          targets: throughput,
          ratios: found,
        },
        endToEnd: latency ?? null,
        postgres: { url: redacted(BENCH_DATABASE_URL) },
        nats: { url: NATS_URL },
      },
    };
  },
};

function readSettings(params: BenchParams): Settings {
  return {
    events: integer("BENCH_RELAY_EVENTS", 20_000, 1),
    batchSize: integer("RELAY__BATCH_SIZE", 200, 1),
    // 100/s saturates the subscribers on a shared 2-core machine (latency then grows with run length).
    rate: integer("BENCH_E2E_RATE", 50, 1),
    seconds: integer("BENCH_E2E_SECONDS", 10, 1),
    warmupSec: params.warmupSec,
  };
}

function integer(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

// --- Throughput -------------------------------------------------------------------------------------

const THROUGHPUT: readonly ThroughputTarget[] = [
  {
    name: "raw-publish",
    description: "bare JetStream loop, events built in memory, one PubAck at a time",
    run: (schema, _end, settings) => runRaw("raw-publish", "memory", schema, settings),
  },
  {
    name: "raw-pg-publish",
    description: "bare loop: read the log in commit order (pg), publish each, save a checkpoint per batch",
    run: (schema, _end, settings) => runRaw("raw-pg-publish", "postgres", schema, settings),
  },
  {
    name: "keel-relay",
    description: "keel's relay alone (keel's container and relay, no subscribers)",
    run: (schema, end, settings) =>
      runKeel("keel-relay", "test/bench/relay-only-worker.ts", [], schema, end, settings),
  },
  {
    name: "keel-worker",
    description: "keel worker as deployed: relay + projection and low-stock subscribers",
    run: (schema, end, settings) =>
      runKeel("keel-worker", "src/bootstrap/cli.ts", ["worker"], schema, end, settings),
  },
];

async function measureThroughput(
  targets: readonly ThroughputTarget[],
  settings: Settings,
): Promise<ThroughputResult[]> {
  const schema = await createBenchSchema();
  progress(`schema ${schema.name} created`);
  try {
    await runToCompletion({
      name: "keel migrate up",
      entry: "src/bootstrap/cli.ts",
      args: ["migrate", "up"],
      env: keelEnv(schema, "keel_bench_unused"),
    });
    const end = await prefill(schema, settings.events);
    const results: ThroughputResult[] = [];
    for (const target of targets) {
      progress(`${target.name}: publishing ${settings.events} events`);
      const published = await target.run(schema, end, settings);
      const result: ThroughputResult = {
        name: target.name,
        description: target.description,
        events: published.events,
        seconds: round(published.seconds, 3),
        eventsPerSec: round(published.events / published.seconds, 1),
        ...(published.projectedWhenDone === undefined
          ? {}
          : { projectedWhenDone: published.projectedWhenDone }),
      };
      progress(`${target.name}: ${result.eventsPerSec.toFixed(0)} events/s`);
      results.push(result);
    }
    return results;
  } finally {
    await schema.drop();
  }
}

/**
 * Rows as keel's append-events.ts writes them, one transaction for all (the relay's reads do not
 * depend on how many transactions wrote the log), then ANALYZE, as autovacuum would have by then.
 */
async function prefill(schema: BenchSchema, events: number): Promise<LogEnd> {
  progress(`writing ${events} events to ${schema.name}.events`);
  const products = Math.max(1, Math.ceil(events / EVENTS_PER_PRODUCT));
  return withClient(schema.url, async (client) => {
    await client.query(
      `insert into events (id, aggregate_type, aggregate_id, aggregate_version, type, data, metadata, occurred_at)
       select gen_random_uuid(), 'product', md5('keel-bench-product-' || p)::uuid, v,
              case when v = 1 then 'product.created' else 'product.stock_adjusted' end,
              case when v = 1
                then jsonb_build_object('name', 'Bench ' || p, 'sku', 'BENCH-' || p, 'priceMinor', 1999,
                                        'currency', 'EUR', 'stock', 1000000)
                else '{"delta": 1, "reason": "bench"}'::jsonb end,
              jsonb_build_object('correlationId', gen_random_uuid(), 'principal', 'anonymous'),
              now()
         from generate_series(0, $1::int - 1) as i,
              lateral (select i % $2::int as p, i / $2::int + 1 as v) as shape
        order by i`,
      [events, products],
    );
    await client.query("analyze events");
    const { rows } = await client.query<LogEnd & { count: string }>(
      `select transaction_id::text as "transactionId", position::text as position,
              (select count(*) from events)::text as count
         from events order by events.transaction_id desc, events.position desc limit 1`,
    );
    const last = rows[0];
    if (last === undefined || Number(last.count) !== events)
      throw new Error(`pre-fill wrote ${last?.count ?? 0} events, expected ${events}`);
    return { transactionId: last.transactionId, position: last.position };
  });
}

async function runRaw(
  name: string,
  source: "memory" | "postgres",
  schema: BenchSchema,
  settings: Settings,
): Promise<Published> {
  const stream = await freshStream();
  try {
    const output = await runToCompletion({
      name,
      entry: "test/bench/raw-jetstream-publisher.ts",
      env: {
        NATS_URL,
        STREAM: stream.name,
        COUNT: String(settings.events),
        BATCH_SIZE: String(settings.batchSize),
        SOURCE: source,
        DATABASE_URL: schema.url,
      },
    });
    const line = /^RESULT (.*)$/m.exec(output)?.[1];
    const result =
      line === undefined ? undefined : (parseJson(line) as { events?: unknown; seconds?: unknown });
    if (typeof result?.events !== "number" || typeof result.seconds !== "number")
      throw new Error(`${name} printed no result:\n${output}`);
    await assertStreamHolds(stream.name, settings.events, name);
    return { events: result.events, seconds: result.seconds };
  } finally {
    await stream.remove();
  }
}

async function runKeel(
  name: string,
  entry: string,
  args: readonly string[],
  schema: BenchSchema,
  end: LogEnd,
  settings: Settings,
): Promise<Published> {
  const stream = await freshStream();
  try {
    // Each keel target publishes the whole log from the start, with no subscriber state left over.
    await withClient(schema.url, (client) =>
      client.query("truncate relay_checkpoints, inbox, product_stock_movements"),
    );
    const worker = await spawnServer({
      name,
      entry,
      args,
      env: keelEnv(schema, stream.name),
      readiness: { kind: "stdout-match", pattern: /"msg":"relay is active"/ },
      startTimeoutMs: 60_000,
    });
    try {
      const started = logTime(worker);
      const { finishedAt, projected } = await waitForCheckpoint(schema, end, worker, settings.events);
      await assertStreamHolds(stream.name, settings.events, name);
      const seconds = (finishedAt - started) / 1000;
      return {
        events: settings.events,
        seconds,
        ...(args.length > 0 ? { projectedWhenDone: projected } : {}),
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await stream.remove();
  }
}

/** The worker's own timestamp of its ready line (pino's `time`, epoch ms). */
function logTime(worker: RunningServer): number {
  const line = parseJson(worker.readyLine ?? "");
  const time = typeof line === "object" && line !== null && "time" in line ? line.time : undefined;
  if (typeof time !== "number") throw new Error(`${worker.name}: no time in "${worker.readyLine ?? ""}"`);
  return time;
}

/** Resolves the checkpoint's `updated_at` (the worker's clock) once it names the last event. */
async function waitForCheckpoint(
  schema: BenchSchema,
  end: LogEnd,
  worker: RunningServer,
  events: number,
): Promise<{ finishedAt: number; projected: number }> {
  const deadline = performance.now() + 120_000 + events * 10;
  return withClient(schema.url, async (client) => {
    while (performance.now() < deadline) {
      const { rows } = await client.query<{ position: string; updated_at: Date; projected: string }>(
        `select position::text, updated_at,
                (select count(*) from product_stock_movements)::text as projected
           from relay_checkpoints where name = 'relay'`,
      );
      const row = rows[0];
      if (row !== undefined && row.position === end.position)
        return { finishedAt: row.updated_at.getTime(), projected: Number(row.projected) };
      await sleep(CHECKPOINT_POLL_MS);
    }
    throw new Error(
      `${worker.name}: the relay checkpoint did not reach position ${end.position} in time\n` +
        `--- last output of ${worker.name} ---\n${worker.outputTail()}`,
    );
  });
}

function throughputRatios(results: readonly ThroughputResult[]): { name: string; eventsPerSec: number }[] {
  const pairs = [
    ["keel-worker", "raw-publish"],
    ["keel-relay", "raw-publish"],
    ["keel-worker", "raw-pg-publish"],
    ["keel-relay", "raw-pg-publish"],
    ["raw-pg-publish", "raw-publish"],
  ] as const;
  const found: { name: string; eventsPerSec: number }[] = [];
  for (const [top, bottom] of pairs) {
    const a = results.find((r) => r.name === top);
    const b = results.find((r) => r.name === bottom);
    if (a !== undefined && b !== undefined)
      found.push({ name: `${top}/${bottom}`, eventsPerSec: round(a.eventsPerSec / b.eventsPerSec, 3) });
  }
  return found;
}

// --- End to end -------------------------------------------------------------------------------------

interface Sample {
  readonly productId: string;
  readonly version: number;
  readonly committedAt: number;
  readonly warmup: boolean;
}

async function measureEndToEnd(settings: Settings): Promise<EndToEndResult> {
  const schema = await createBenchSchema();
  progress(`e2e: schema ${schema.name} created`);
  const stream = await freshStream();
  const servers: RunningServer[] = [];
  try {
    const env = {
      ...keelEnv(schema, stream.name),
      DATABASE__MIGRATE_ON_START: "true",
      WORKER__IN_PROCESS: "false",
    };
    progress("e2e: starting keel serve and keel worker");
    const { server: serve, authorization } = await startSignedInKeel(env);
    servers.push(serve);
    const worker = await spawnServer({
      name: "keel-worker",
      entry: "src/bootstrap/cli.ts",
      args: ["worker"],
      env,
      readiness: { kind: "stdout-match", pattern: /"msg":"keel worker is running"/ },
      startTimeoutMs: 60_000,
    });
    servers.push(worker);
    // Each product is adjusted about once a second, so two of its commands are never in flight together.
    const products = Math.max(50, settings.rate);
    progress(`e2e: seeding ${products} products`);
    const ids = await seedProducts(serve.origin, products, authorization);
    return await withClient(schema.url, async (client) => {
      await waitForProjection(client, products, worker);
      progress(
        `e2e: ${settings.rate} adjustments/s for ${settings.warmupSec} s (warm-up) + ${settings.seconds} s`,
      );
      return await pacedRun(client, serve, authorization, worker, ids, settings);
    });
  } finally {
    for (const server of servers.reverse()) await server.stop();
    await stream.remove();
    await schema.drop();
  }
}

/** The seeded products' initial movements: the worker's consumers are up and the path is warm. */
async function waitForProjection(client: pg.Client, count: number, worker: RunningServer): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const { rows } = await client.query<{ n: string }>(
      "select count(*)::text as n from product_stock_movements",
    );
    if (Number(rows[0]?.n ?? 0) >= count) return;
    await sleep(50);
  }
  throw new Error(`e2e: the projection never caught up with the seeded products\n${worker.outputTail()}`);
}

async function pacedRun(
  client: pg.Client,
  serve: RunningServer,
  authorization: string,
  worker: RunningServer,
  ids: readonly string[],
  settings: Settings,
): Promise<EndToEndResult> {
  const pending = new Map<string, Sample>();
  /** In commit order, as they were sent: the trend shows whether a queue builds up. */
  const latencies: { committedAt: number; ms: number }[] = [];
  const httpLatencies: number[] = [];
  const failures: string[] = [];
  let warmupSamples = 0;
  let sending = true;

  const poller = (async () => {
    while (sending || pending.size > 0) {
      if (failures.length > 0) return;
      if (pending.size > 0) {
        const waiting = [...pending.values()];
        // The rows come from a snapshot taken after this instant: what they show was visible by then.
        const observedAt = performance.now();
        const { rows } = await client.query<{ product_id: string; version: number }>(
          `select m.product_id::text as product_id, m.version
             from product_stock_movements m
             join unnest($1::uuid[], $2::int[]) as w(product_id, version) using (product_id, version)`,
          [waiting.map((s) => s.productId), waiting.map((s) => s.version)],
        );
        for (const row of rows) {
          const found = key({ productId: row.product_id, version: row.version });
          const sample = pending.get(found);
          if (sample === undefined) continue;
          pending.delete(found);
          if (sample.warmup) warmupSamples += 1;
          else latencies.push({ committedAt: sample.committedAt, ms: observedAt - sample.committedAt });
        }
        const late = waiting.find(
          (s) => pending.has(key(s)) && observedAt - s.committedAt > EFFECT_TIMEOUT_MS,
        );
        if (late !== undefined) {
          throw new Error(
            `e2e: the movement of product ${late.productId} version ${late.version} was not visible ` +
              `${EFFECT_TIMEOUT_MS} ms after its command committed (${pending.size} effects missing)\n` +
              `--- last output of ${worker.name} ---\n${worker.outputTail()}`,
          );
        }
      }
      await sleep(EFFECT_POLL_MS);
    }
  })();
  // The poller's failure must stop the sending loop too, not wait for it to finish.
  let pollerFailed: unknown;
  poller.catch((error: unknown) => {
    pollerFailed = error;
  });

  const interval = 1000 / settings.rate;
  const warmupCount = settings.rate * settings.warmupSec;
  const total = warmupCount + settings.rate * settings.seconds;
  const inFlight = new Set<Promise<void>>();
  let maxLag = 0;
  const t0 = performance.now();
  let measuredStart = t0;
  for (let i = 0; i < total; i += 1) {
    if (pollerFailed !== undefined || failures.length > 0) break;
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (i === warmupCount) measuredStart = performance.now();
    maxLag = Math.max(maxLag, performance.now() - due);
    const productId = ids[i % ids.length] ?? "";
    const command = adjust(serve.origin, authorization, productId).then(
      ({ version, httpMs }) => {
        const sample = { productId, version, committedAt: performance.now(), warmup: i < warmupCount };
        pending.set(key(sample), sample);
        if (!sample.warmup) httpLatencies.push(httpMs);
      },
      (error: unknown) => {
        failures.push(error instanceof Error ? error.message : String(error));
      },
    );
    inFlight.add(command);
    void command.finally(() => inFlight.delete(command));
  }
  await Promise.all(inFlight);
  const measuredSeconds = (performance.now() - measuredStart) / 1000;
  sending = false;
  await poller;
  if (failures.length > 0)
    throw new Error(`e2e: ${failures.length} commands failed, first: ${failures[0]}\n${serve.outputTail()}`);
  if (latencies.length !== total - warmupCount)
    throw new Error(`e2e: ${latencies.length} samples for ${total - warmupCount} commands`);

  const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
  const byCommit = [...latencies].sort((a, b) => a.committedAt - b.committedAt).map((l) => l.ms);
  const tenth = Math.max(1, Math.floor(byCommit.length / 10));
  const first = mean(byCommit.slice(0, tenth));
  const last = mean(byCommit.slice(-tenth));
  const http = [...httpLatencies].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    warmupSamples,
    targetRatePerSec: settings.rate,
    achievedRatePerSec: round(sorted.length / measuredSeconds, 1),
    products: ids.length,
    p50Ms: round(percentile(sorted, 50), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    maxMs: round(sorted.at(-1) ?? 0, 2),
    meanMs: round(mean(sorted), 2),
    resolutionMs: `each figure is an upper bound, at most ${EFFECT_POLL_MS} ms plus one poll query above the true latency`,
    http: {
      p50Ms: round(percentile(http, 50), 2),
      p99Ms: round(percentile(http, 99), 2),
      maxMs: round(http.at(-1) ?? 0, 2),
    },
    maxScheduleLagMs: round(maxLag, 2),
    firstTenthMeanMs: round(first, 2),
    lastTenthMeanMs: round(last, 2),
    // A queue still growing by the end (a warm-up may already have built one: no ratio to the first tenth).
    saturated: last - first > 100,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, x) => sum + x, 0) / Math.max(1, values.length);
}

function key(sample: Pick<Sample, "productId" | "version">): string {
  return `${sample.productId}:${sample.version}`;
}

/**
 * One AdjustStock command as the signed-in `authorization`; resolves the product version it committed
 * and its HTTP latency.
 */
async function adjust(
  origin: string,
  authorization: string,
  productId: string,
): Promise<{ version: number; httpMs: number }> {
  const sent = performance.now();
  const response = await fetch(`${origin}${adjustmentPath(productId)}`, {
    method: "POST",
    headers: writeHeaders(authorization),
    body: JSON.stringify(ADJUSTMENT),
  });
  const text = await response.text();
  const httpMs = performance.now() - sent;
  const version = envelopeData(parseJson(text))?.version;
  if (response.status !== 200 || typeof version !== "number")
    throw new Error(`POST ${adjustmentPath(productId)} answered ${response.status} ${text}`);
  return { version, httpMs };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

// --- Shared -----------------------------------------------------------------------------------------

/** keel as deployed: production profile, PostgreSQL, NATS, mail to the log. */
export function keelEnv(schema: BenchSchema, stream: string): Record<string, string> {
  return {
    ...PRODUCTION_SECRETS,
    APP_ENV: "production",
    ALLOW_MEMORY_ADAPTERS: "false",
    PERSISTENCE__DRIVER: "postgres",
    DATABASE__URL: schema.url,
    EVENT_BUS__DRIVER: "nats",
    EVENT_BUS__STREAM: stream,
    NATS__URL: NATS_URL,
    MAIL__DRIVER: "log",
    LOG__LEVEL: "info",
    // The worker's probes on a free port, so a benchmark never collides with a running keel.
    WORKER__HEALTH_PORT: "0",
    RELAY__BATCH_SIZE: String(integer("RELAY__BATCH_SIZE", 200, 1)),
  };
}

export interface BenchStream {
  readonly name: string;
  /** Deletes the stream and keel's dead-letter stream beside it; safe to call more than once. */
  remove(): Promise<void>;
}

export async function freshStream(): Promise<BenchStream> {
  const name = `keel_bench_${randomBytes(6).toString("hex")}`;
  const remove = registerCleanup(() =>
    withNats(async (jsm) => {
      for (const stream of [name, `${name}_dead_letters`]) {
        await jsm.streams.delete(stream).catch((error: unknown) => {
          if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound))
            throw error;
        });
      }
    }),
  );
  return { name, remove };
}

async function assertStreamHolds(stream: string, events: number, target: string): Promise<void> {
  const info = await withNats((jsm) => jsm.streams.info(stream));
  const { messages } = info.state;
  if (messages !== events)
    throw new Error(
      `${target}: stream ${stream} holds ${messages} messages after publishing ${events} events ` +
        `(${messages < events ? "events lost" : "duplicates stored"})`,
    );
}

export async function assertNatsReachable(scenario = "relay"): Promise<void> {
  try {
    await withNats((jsm) => jsm.getAccountInfo());
  } catch (error) {
    throw new Error(
      `NATS JetStream is unreachable at ${NATS_URL} (${error instanceof Error ? error.message : String(error)}); ` +
        `the ${scenario} scenario needs it: start nats-server -js, or point BENCH_NATS_URL at one`,
    );
  }
}

async function withNats<T>(
  work: (jsm: Awaited<ReturnType<typeof jetstreamManager>>) => Promise<T>,
): Promise<T> {
  const nc = await connect({ servers: NATS_URL, name: "keel-bench", timeout: 3000 });
  try {
    return await work(await jetstreamManager(nc));
  } finally {
    await nc.close();
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// --- Report -----------------------------------------------------------------------------------------

function printReport(
  throughput: readonly ThroughputResult[],
  found: readonly { name: string; eventsPerSec: number }[],
  latency: EndToEndResult | undefined,
  settings: Settings,
): void {
  const lines = [""];
  if (throughput.length > 0) {
    lines.push(
      `Relay throughput: ${settings.events} events from the log to an acked JetStream publish, batch ${settings.batchSize}`,
      "",
      table(
        ["target", "events/s", "seconds", "events", "projected when done"],
        throughput.map((r) => [
          r.name,
          r.eventsPerSec.toFixed(0),
          r.seconds.toFixed(2),
          String(r.events),
          r.projectedWhenDone === undefined ? "" : String(r.projectedWhenDone),
        ]),
      ),
      "",
    );
    if (found.length > 0)
      lines.push(
        table(
          ["ratio", "events/s"],
          found.map((r) => [r.name, `${(r.eventsPerSec * 100).toFixed(1)}%`]),
        ),
        "",
      );
  }
  if (latency !== undefined) {
    lines.push(
      `End to end: HTTP 200 of a stock adjustment -> its movement visible (keel serve + keel worker), ${latency.targetRatePerSec}/s`,
      "",
      table(
        ["samples", "rate/s", "p50 ms", "p99 ms", "max ms", "mean ms", "http p50 ms", "http p99 ms"],
        [
          [
            String(latency.samples),
            latency.achievedRatePerSec.toFixed(1),
            latency.p50Ms.toFixed(2),
            latency.p99Ms.toFixed(2),
            latency.maxMs.toFixed(2),
            latency.meanMs.toFixed(2),
            latency.http.p50Ms.toFixed(2),
            latency.http.p99Ms.toFixed(2),
          ],
        ],
      ),
      `(${latency.resolutionMs})`,
      `first tenth of the samples: mean ${latency.firstTenthMeanMs.toFixed(2)} ms; last tenth: ${latency.lastTenthMeanMs.toFixed(2)} ms`,
      ...(latency.saturated
        ? [
            `SATURATED: latency grew through the run; the worker does not keep up with ${latency.targetRatePerSec}/s here, ` +
              "so these figures measure a growing queue (lower BENCH_E2E_RATE for a steady state)",
          ]
        : []),
      "",
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
