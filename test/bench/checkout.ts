/**
 * Checkout throughput, end to end on PostgreSQL + NATS JetStream: orders placed over HTTP until each
 * is confirmed by the checkout (README, "Orders" — "The checkout").
 *
 * `keel serve` and `keel worker` run as separate processes on one fresh schema and stream, as deployed
 * (and as the relay scenario's end-to-end part runs them). The bench admin creates one product with
 * ample stock (1,000,000: no order is ever short), N customers register and sign in, and a few orders
 * warm the path up unmeasured. Then M orders of one unit each are placed, `BENCH_CHECKOUT_CONCURRENCY`
 * at a time (closed loop: each sender places its next order when the previous one answers 201),
 * customers taken in turn. An order is confirmed when its `orders.status` row says so, polled every few
 * ms; each order's latency runs from its 201 (the order and its order.placed event committed) to the
 * poll that first saw it confirmed. Between the two: the relay publishes order.placed, the worker's
 * checkout subscriber enqueues `orders.reserve-stock`, a job runner claims it at its next poll
 * (`JOBS__POLL_MS`), reserves the line on the product (ReserveStock, one unit of work) and confirms the
 * order (ConfirmOrder, another). The worker meanwhile also runs each confirmed order's confirmation
 * mail job (and enqueues its payment deadline, due long after the run).
 *
 * Figures: orders/s confirmed end to end (M over first placement sent → last confirmation seen), the
 * placement rate alone, p50/p99/max of placement → confirmation, and what the run left in the jobs
 * table (reserve-stock attempts beyond the first: concurrency conflicts on the one product that ran
 * out of the unit of work's own retries). Any rejected order, or one not confirmed within
 * CONFIRM_TIMEOUT_MS of the last placement, fails the run.
 *
 * Environment: BENCH_CHECKOUT_ORDERS (400), BENCH_CHECKOUT_CUSTOMERS (20), BENCH_CHECKOUT_CONCURRENCY
 * (16), BENCH_CHECKOUT_WARMUP (20 orders); keel's own settings pass through to both processes
 * (`JOBS__POLL_MS=100`, `JOBS__CONCURRENCY=8` to try them). BENCH_DATABASE_URL, BENCH_NATS_URL.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { progress } from "./lib/http-targets.js";
import { startSignedInKeel } from "./lib/keel.js";
import { round } from "./lib/measure.js";
import type { BenchParams } from "./lib/params.js";
import {
  assertPostgresReachable,
  BENCH_DATABASE_URL,
  createBenchSchema,
  redacted,
} from "./lib/postgres-schema.js";
import { table } from "./lib/report.js";
import type { Scenario, ScenarioOutcome } from "./lib/scenario.js";
import { type RunningServer, spawnServer } from "./lib/spawn-server.js";
import { assertNatsReachable, freshStream, keelEnv, NATS_URL } from "./relay.js";
import { envelopeData, parseJson, writeHeaders } from "./stock-adjustment.js";

/** How often the run looks for confirmed orders. */
const CONFIRM_POLL_MS = 5;
/** An order not confirmed this long after the last placement fails the run. */
const CONFIRM_TIMEOUT_MS = 60_000;
const ADDRESS = {
  name: "Bench Customer",
  lines: ["Hauptstraße 5"],
  city: "Berlin",
  postal_code: "10115",
  country: "de",
};
const PASSWORD = "bench-only customer passphrase";

interface Settings {
  readonly orders: number;
  readonly customers: number;
  readonly concurrency: number;
  readonly warmup: number;
  readonly single: number;
  readonly products: number;
}

interface Placed {
  readonly id: string;
  /** performance.now() at the 201. */
  readonly placedAt: number;
  readonly httpMs: number;
}

interface CheckoutResult {
  readonly orders: number;
  readonly customers: number;
  readonly products: number;
  readonly concurrency: number;
  readonly seconds: number;
  /** Orders confirmed per second, first placement sent → last confirmation seen. */
  readonly confirmedPerSec: number;
  /** Placements answered per second, first sent → last 201. */
  readonly placedPerSec: number;
  readonly latency: {
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly maxMs: number;
    readonly meanMs: number;
  };
  readonly http: { readonly p50Ms: number; readonly p99Ms: number };
  /** Orders placed one at a time, each after the previous was confirmed: the path's latency with no queue. */
  readonly alone: {
    readonly orders: number;
    readonly p50Ms: number;
    readonly minMs: number;
    readonly maxMs: number;
  };
  readonly resolutionMs: string;
  readonly jobs: {
    readonly reserveStockJobs: number;
    /** reserve-stock attempts beyond one per job: a ConcurrencyConflict the unit of work could not absorb. */
    readonly reserveStockRetries: number;
    readonly failedOrDead: number;
  };
  readonly stages: Stages;
  readonly keelSettings: Readonly<Record<string, string>>;
}

/**
 * Where the loaded run's time went, from the rows' own timestamps (serve's and the worker's clocks, one
 * machine): placed (orders.placed_at) → the reserve-stock job enqueued by the worker's subscriber
 * (jobs.created_at: the relay and the subscriber's queue) → confirmed (orders.updated_at: the job's
 * wait for a runner, and its run).
 */
interface Stages {
  readonly placedToEnqueuedMs: { readonly p50: number; readonly p99: number };
  readonly enqueuedToConfirmedMs: { readonly p50: number; readonly p99: number };
}

export const checkout: Scenario = {
  name: "checkout",
  description:
    "Checkout end to end on PostgreSQL + NATS (keel serve + keel worker): orders placed over HTTP → confirmed, per second, and placement → confirmation latency",
  async run(params: BenchParams): Promise<ScenarioOutcome | undefined> {
    if (params.onlyTargets !== undefined && !params.onlyTargets.includes("checkout")) return undefined;
    await assertPostgresReachable(
      "the checkout scenario needs it: start it, point BENCH_DATABASE_URL at one, or leave the scenario out of BENCH_SCENARIOS",
    );
    await assertNatsReachable("checkout");
    const settings: Settings = {
      orders: integer("BENCH_CHECKOUT_ORDERS", 400, 1),
      customers: integer("BENCH_CHECKOUT_CUSTOMERS", 20, 1),
      concurrency: integer("BENCH_CHECKOUT_CONCURRENCY", 16, 1),
      warmup: integer("BENCH_CHECKOUT_WARMUP", 20, 0),
      single: integer("BENCH_CHECKOUT_SINGLE", 10, 0),
      products: integer("BENCH_CHECKOUT_PRODUCTS", 1, 1),
    };
    const result = await measure(settings);
    printReport(result);
    return {
      result: { checkout: result, postgres: { url: redacted(BENCH_DATABASE_URL) }, nats: { url: NATS_URL } },
    };
  },
};

function integer(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

async function measure(settings: Settings): Promise<CheckoutResult> {
  const schema = await createBenchSchema();
  progress(`checkout: schema ${schema.name} created`);
  const stream = await freshStream();
  const servers: RunningServer[] = [];
  try {
    const env = {
      ...keelEnv(schema, stream.name),
      // Registering the customers hashes passwords: the limit on that (20 per address per 15 min,
      // counted in Redis across runs) would refuse the second run's customers.
      RATE_LIMIT__EXPENSIVE__POINTS: "1000000",
      RATE_LIMIT__EXPENSIVE__WINDOW_S: "1",
      DATABASE__MIGRATE_ON_START: "true",
      WORKER__IN_PROCESS: "false",
    };
    progress("checkout: starting keel serve and keel worker");
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
    const productIds: string[] = [];
    for (let n = 0; n < settings.products; n += 1)
      productIds.push(await createProduct(serve.origin, authorization, n));
    progress(`checkout: registering ${settings.customers} customers`);
    const customers = await registerCustomers(serve.origin, settings.customers);
    return await withClient(schema.url, async (client) => {
      if (settings.warmup > 0) {
        progress(`checkout: ${settings.warmup} orders to warm up (unmeasured)`);
        await placeAndConfirm(
          client,
          serve,
          worker,
          productIds,
          customers,
          settings.warmup,
          settings.concurrency,
        );
        await client.query("analyze");
      }
      progress(`checkout: placing ${settings.orders} orders, ${settings.concurrency} at a time`);
      const run = await placeAndConfirm(
        client,
        serve,
        worker,
        productIds,
        customers,
        settings.orders,
        settings.concurrency,
      );
      const jobs = await jobCounts(client);
      const stages = await stagesOf(
        client,
        run.placed.map((p) => p.id),
      );
      progress(`checkout: ${settings.single} orders one at a time, each after the previous is confirmed`);
      const alone: number[] = [];
      for (let n = 0; n < settings.single; n += 1) {
        const one = await placeAndConfirm(client, serve, worker, productIds, customers, 1, 1);
        for (const p of one.placed) alone.push((one.confirmedAt.get(p.id) ?? Number.NaN) - p.placedAt);
      }
      alone.sort((a, b) => a - b);
      const latencies = run.placed.map((p) => (run.confirmedAt.get(p.id) ?? Number.NaN) - p.placedAt);
      const sorted = [...latencies].sort((a, b) => a - b);
      const http = run.placed.map((p) => p.httpMs).sort((a, b) => a - b);
      const seconds = (run.lastConfirmedAt - run.firstSentAt) / 1000;
      const lastPlaced = Math.max(...run.placed.map((p) => p.placedAt));
      return {
        orders: settings.orders,
        customers: settings.customers,
        products: settings.products,
        concurrency: settings.concurrency,
        seconds: round(seconds, 3),
        confirmedPerSec: round(settings.orders / seconds, 1),
        placedPerSec: round(settings.orders / ((lastPlaced - run.firstSentAt) / 1000), 1),
        latency: {
          p50Ms: round(percentile(sorted, 50), 1),
          p99Ms: round(percentile(sorted, 99), 1),
          maxMs: round(sorted.at(-1) ?? 0, 1),
          meanMs: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length), 1),
        },
        http: { p50Ms: round(percentile(http, 50), 1), p99Ms: round(percentile(http, 99), 1) },
        alone: {
          orders: alone.length,
          p50Ms: round(percentile(alone, 50), 1),
          minMs: round(alone[0] ?? 0, 1),
          maxMs: round(alone.at(-1) ?? 0, 1),
        },
        resolutionMs: `each latency is an upper bound, at most ${CONFIRM_POLL_MS} ms plus one poll query above the true one`,
        jobs,
        stages,
        keelSettings: Object.fromEntries(
          ["JOBS__POLL_MS", "JOBS__CONCURRENCY", "RELAY__POLL_MS", "DATABASE__POOL_SIZE"].map((name) => [
            name,
            process.env[name] ?? "(default)",
          ]),
        ),
      };
    });
  } finally {
    for (const server of servers.reverse()) await server.stop();
    await stream.remove();
    await schema.drop();
  }
}

async function createProduct(origin: string, authorization: string, n: number): Promise<string> {
  const product = {
    name: `Bench stock ${n}`,
    sku: `BENCH-CHECKOUT-${n}`,
    price: 1250,
    currency: "EUR",
    stock: 1_000_000,
  };
  const response = await fetch(`${origin}/api/v1/products`, {
    method: "POST",
    headers: writeHeaders(authorization),
    body: JSON.stringify(product),
  });
  const text = await response.text();
  const id = envelopeData(parseJson(text))?.id;
  if (response.status !== 201 || typeof id !== "string")
    throw new Error(`creating the product: POST /api/v1/products answered ${response.status} ${text}`);
  return id;
}

/** Registers and signs in `count` customers, a few at a time (each costs two password hashes); their Authorization headers. */
async function registerCustomers(origin: string, count: number): Promise<string[]> {
  const headers: string[] = [];
  let next = 0;
  const one = async () => {
    while (next < count) {
      const n = next;
      next += 1;
      const email = `bench-customer-${n}-${randomUUID()}@keel.bench`;
      const registered = await fetch(`${origin}/api/v1/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email,
          password: PASSWORD,
          given_name: "Bench",
          family_name: `Customer ${n}`,
        }),
      });
      if (registered.status !== 201)
        throw new Error(
          `registering ${email}: POST /api/v1/users answered ${registered.status} ${await registered.text()}`,
        );
      await registered.text();
      const token = await fetch(`${origin}/api/v1/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", username: email, password: PASSWORD }).toString(),
      });
      const body = parseJson(await token.text()) as { access_token?: unknown } | undefined;
      if (token.status !== 200 || typeof body?.access_token !== "string")
        throw new Error(`signing in ${email}: POST /api/v1/auth/token answered ${token.status}`);
      headers[n] = `Bearer ${body.access_token}`;
    }
  };
  await Promise.all(Array.from({ length: 4 }, one));
  return headers;
}

interface Run {
  readonly placed: readonly Placed[];
  readonly confirmedAt: ReadonlyMap<string, number>;
  readonly firstSentAt: number;
  readonly lastConfirmedAt: number;
}

/**
 * Places `count` orders, `concurrency` senders at a time, while a poller watches `orders.status`;
 * resolves once every one is confirmed.
 */
async function placeAndConfirm(
  client: pg.Client,
  serve: RunningServer,
  worker: RunningServer,
  productIds: readonly string[],
  customers: readonly string[],
  count: number,
  concurrency: number,
): Promise<Run> {
  const placed: Placed[] = [];
  const pending = new Set<string>();
  const confirmedAt = new Map<string, number>();
  let sending = true;
  let lastConfirmedAt = 0;
  let lastPlacedAt = Number.POSITIVE_INFINITY;

  const poller = (async () => {
    while (sending || pending.size > 0) {
      if (pending.size > 0) {
        // The rows come from a snapshot taken after this instant: what they show was visible by then.
        const observedAt = performance.now();
        const { rows } = await client.query<{ id: string; status: string }>(
          "select id::text, status from orders where id = any($1::uuid[]) and status <> 'placed'",
          [[...pending]],
        );
        for (const row of rows) {
          if (row.status !== "confirmed")
            throw new Error(
              `order ${row.id} is ${row.status}, not confirmed (the product has ample stock)\n` +
                `--- last output of ${worker.name} ---\n${worker.outputTail()}`,
            );
          pending.delete(row.id);
          confirmedAt.set(row.id, observedAt);
          lastConfirmedAt = Math.max(lastConfirmedAt, observedAt);
        }
        if (!sending && performance.now() - lastPlacedAt > CONFIRM_TIMEOUT_MS)
          throw new Error(
            `${pending.size} orders not confirmed ${CONFIRM_TIMEOUT_MS} ms after the last placement\n` +
              `--- last output of ${worker.name} ---\n${worker.outputTail()}`,
          );
      }
      await sleep(CONFIRM_POLL_MS);
    }
  })();
  let pollerFailed: unknown;
  poller.catch((error: unknown) => {
    pollerFailed = error;
  });

  let next = 0;
  const firstSentAt = performance.now();
  const sender = async () => {
    while (next < count && pollerFailed === undefined) {
      const n = next;
      next += 1;
      const sent = performance.now();
      const response = await fetch(`${serve.origin}/api/v1/orders`, {
        method: "POST",
        headers: writeHeaders(customers[n % customers.length]),
        body: JSON.stringify({
          lines: [{ product_id: productIds[n % productIds.length], quantity: 1 }],
          shipping_address: ADDRESS,
        }),
      });
      const text = await response.text();
      const placedAt = performance.now();
      const id = envelopeData(parseJson(text))?.id;
      if (response.status !== 201 || typeof id !== "string")
        throw new Error(`POST /api/v1/orders answered ${response.status} ${text}\n${serve.outputTail()}`);
      pending.add(id);
      placed.push({ id, placedAt, httpMs: placedAt - sent });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, sender));
  } catch (error) {
    pending.clear();
    throw error;
  } finally {
    lastPlacedAt = performance.now();
    sending = false;
  }
  await poller;
  return { placed, confirmedAt, firstSentAt, lastConfirmedAt };
}

async function jobCounts(client: pg.Client): Promise<CheckoutResult["jobs"]> {
  const { rows } = await client.query<{ jobs: string; retries: string; failed: string }>(
    `select count(*) filter (where type = 'orders.reserve-stock')::text as jobs,
            coalesce(sum(attempts - 1) filter (where type = 'orders.reserve-stock' and attempts > 1), 0)::text as retries,
            count(*) filter (where state in ('failed', 'dead'))::text as failed
       from jobs`,
  );
  const row = rows[0];
  return {
    reserveStockJobs: Number(row?.jobs ?? 0),
    reserveStockRetries: Number(row?.retries ?? 0),
    failedOrDead: Number(row?.failed ?? 0),
  };
}

async function stagesOf(client: pg.Client, ids: readonly string[]): Promise<Stages> {
  const { rows } = await client.query<Record<string, number | null>>(
    `select percentile_cont(0.5) within group (order by enqueued) as e50,
            percentile_cont(0.99) within group (order by enqueued) as e99,
            percentile_cont(0.5) within group (order by confirmed) as c50,
            percentile_cont(0.99) within group (order by confirmed) as c99
       from (select extract(epoch from j.created_at - o.placed_at) * 1000 as enqueued,
                    extract(epoch from o.updated_at - j.created_at) * 1000 as confirmed
               from orders o
               join jobs j on j.type = 'orders.reserve-stock' and j.payload->>'orderId' = o.id::text
              where o.id = any($1::uuid[])) as s`,
    [ids],
  );
  const row = rows[0] ?? {};
  const ms = (key: string) => round(Number(row[key] ?? Number.NaN), 1);
  return {
    placedToEnqueuedMs: { p50: ms("e50"), p99: ms("e99") },
    enqueuedToConfirmedMs: { p50: ms("c50"), p99: ms("c99") },
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
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

function printReport(r: CheckoutResult): void {
  const lines = [
    "",
    `Checkout end to end (keel serve + keel worker, PostgreSQL + NATS): ${r.orders} orders of one unit, ` +
      `${r.products === 1 ? "all of one product" : `round robin over ${r.products} products`}, ` +
      `${r.customers} customers, ${r.concurrency} placements in flight`,
    "",
    table(
      [
        "confirmed/s",
        "placed/s",
        "seconds",
        "p50 ms",
        "p99 ms",
        "max ms",
        "mean ms",
        "http p50 ms",
        "http p99 ms",
      ],
      [
        [
          r.confirmedPerSec.toFixed(1),
          r.placedPerSec.toFixed(1),
          r.seconds.toFixed(2),
          r.latency.p50Ms.toFixed(0),
          r.latency.p99Ms.toFixed(0),
          r.latency.maxMs.toFixed(0),
          r.latency.meanMs.toFixed(0),
          r.http.p50Ms.toFixed(1),
          r.http.p99Ms.toFixed(1),
        ],
      ],
    ),
    "(confirmed/s: first placement sent → last confirmation seen; latency: 201 of the placement → confirmed seen)",
    `(${r.resolutionMs})`,
    ...(r.alone.orders === 0
      ? []
      : [
          `one order at a time (no queue), placement → confirmation over ${r.alone.orders} orders: ` +
            `p50 ${r.alone.p50Ms.toFixed(0)} ms, min ${r.alone.minMs.toFixed(0)} ms, max ${r.alone.maxMs.toFixed(0)} ms`,
        ]),
    `stages (from the rows' timestamps): placed → reserve-stock job enqueued (relay + subscriber) ` +
      `p50 ${r.stages.placedToEnqueuedMs.p50.toFixed(0)} ms, p99 ${r.stages.placedToEnqueuedMs.p99.toFixed(0)} ms; ` +
      `enqueued → confirmed (job poll + run) p50 ${r.stages.enqueuedToConfirmedMs.p50.toFixed(0)} ms, ` +
      `p99 ${r.stages.enqueuedToConfirmedMs.p99.toFixed(0)} ms`,
    `reserve-stock jobs: ${r.jobs.reserveStockJobs} (the warm-up's included, not the one-at-a-time orders), attempts beyond the first: ` +
      `${r.jobs.reserveStockRetries}; failed or dead jobs: ${r.jobs.failedOrDead}`,
    `keel settings: ${Object.entries(r.keelSettings)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
