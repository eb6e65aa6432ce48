/**
 * Soak (`make soak`, not in CI): keel's production profile — `keel serve` and `keel worker` on the
 * real PostgreSQL, Redis and NATS JetStream — first loaded flat out for SOAK_CAPACITY_S seconds to
 * measure its capacity on this machine with the mixed load of the scale-out test (reads, stock
 * adjustments, sign-ins; 50 clients), then held at SOAK_SHARE (70 %) of that capacity for
 * SOAK_MINUTES (10). It samples serve's and the worker's RSS, serve's event-loop lag and open handles
 * (its /metrics), and the latency of each window, then compares the first minute with the last.
 * Targets (issue 16): RSS growth < 10 %, p99 drift < 20 %, no error responses. Exits 1 when one is
 * missed. Loopback only; stops by itself.
 */

import { randomBytes, randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { progress } from "../support/delivery-ledger.js";
import { KeelCluster, type Member } from "../support/keel-cluster.js";
import { type Client, failed, type Outcome, percentile, send, startLoad } from "../support/mixed-load.js";
import { STACK_ADMIN } from "../support/production-stack.js";
import { hold } from "../support/stack-requests.js";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const SHARE = Number(process.env.SOAK_SHARE ?? 0.7);
const CAPACITY_S = Number(process.env.SOAK_CAPACITY_S ?? 20);
const SAMPLE_S = 30;
const CLIENTS = 50;
const NET = `127.${randomInt(10, 250)}`;

function rssMiB(member: Member): number {
  const status = readFileSync(`/proc/${member.spawned.child.pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Event-loop lag p99 (s) and active handles from serve's own /metrics. */
async function runtime(url: string): Promise<{ lagMs: number; handles: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1]);
  return {
    lagMs: value("nodejs_eventloop_lag_p99_seconds") * 1000,
    handles: value("nodejs_active_handles_total"),
  };
}

interface Sample {
  readonly minute: number;
  readonly requests: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly serveRss: number;
  readonly workerRss: number;
  readonly lagMs: number;
  readonly handles: number;
  readonly behind: number;
}

const run = `soak-${randomBytes(4).toString("hex")}`;
const cluster = await KeelCluster.start({
  serves: 1,
  workers: 1,
  env: { AUTH__DEFAULT_ROLES: "catalog-manager", HTTP__TRUST_PROXY: "false" },
});
const db = new pg.Client({ connectionString: cluster.stack.schema.url });
let exitCode = 1;
try {
  await db.connect();
  const serve = cluster.serves[0];
  const worker = cluster.workers[0];
  if (serve === undefined || worker === undefined) throw new Error("no processes");
  const url = `http://127.0.0.1:${serve.port}`;
  const admin = await send(url, {
    method: "POST",
    path: "/api/v1/auth/token",
    form: { grant_type: "password", username: STACK_ADMIN.email, password: STACK_ADMIN.password },
  });
  if (admin.status !== 200) throw new Error(`admin sign-in: ${admin.status}`);
  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const address = `${NET}.1.${10 + i}`;
    const email = `${run}-${i}@keel.test`;
    const password = `soak-client-passphrase-${i}`;
    const registered = await send(url, {
      method: "POST",
      path: "/api/v1/users",
      localAddress: address,
      json: { email, password, given_name: "Soak", family_name: `Client ${i}` },
    });
    const product = await send(url, {
      method: "POST",
      path: "/api/v1/products",
      headers: { authorization: `Bearer ${admin.body.access_token}` },
      json: { name: `Soak ${i}`, sku: `${run}-${i}`.toUpperCase(), price: 100, currency: "EUR", stock: 1000 },
    });
    const token = await send(url, {
      method: "POST",
      path: "/api/v1/auth/token",
      localAddress: address,
      form: { grant_type: "password", username: email, password },
    });
    if (registered.status !== 201 || product.status !== 201 || token.status !== 200)
      throw new Error(`setup of client ${i}: ${registered.status} ${product.status} ${token.status}`);
    clients.push({
      address,
      email,
      password,
      productId: product.body.data.id,
      token: token.body.access_token,
    });
  }

  // Capacity: the same mix, each client sending its next request as soon as the last is answered.
  const flatOut = startLoad({ url, clients, rate: 1e9, adjustEvery: 4, signInEvery: 40, run: `${run}-cap` });
  await hold(CAPACITY_S * 1000);
  const capacityRun = await flatOut.stop();
  const capacity = capacityRun.length / CAPACITY_S;
  const rate = Math.round(capacity * SHARE);
  console.log(
    `capacity: ${capacity.toFixed(0)} req/s over ${CAPACITY_S} s flat out (${failed(capacityRun).length} errors, ` +
      `p99 ${percentile(capacityRun, 99).toFixed(0)} ms); soaking at ${rate} req/s (${SHARE * 100} %) for ${MINUTES} min`,
  );
  // Let the worker work through the capacity run's backlog before the soak's figures start.
  for (let i = 0; i < 120 && !(await progress(db, 500)).published; i++);

  const load = startLoad({ url, clients, rate, adjustEvery: 4, signInEvery: 40, run });
  const samples: Sample[] = [];
  let seen = 0;
  const end = performance.now() + MINUTES * 60_000;
  while (performance.now() < end) {
    await hold(Math.min(SAMPLE_S * 1000, end - performance.now()));
    const window: Outcome[] = load.outcomes.slice(seen);
    seen += window.length;
    const [{ lagMs, handles }, { behind }] = await Promise.all([runtime(url), progress(db, 0)]);
    const sample = {
      minute: samples.length * (SAMPLE_S / 60) + SAMPLE_S / 60,
      requests: window.length,
      errors: failed(window).length,
      p50: percentile(window, 50),
      p99: percentile(window, 99),
      serveRss: rssMiB(serve),
      workerRss: rssMiB(worker),
      lagMs,
      handles,
      behind,
    };
    samples.push(sample);
    console.log(
      `  ${sample.minute.toFixed(1)} min: ${sample.requests} requests, ${sample.errors} errors, p50 ${sample.p50.toFixed(1)} ms, ` +
        `p99 ${sample.p99.toFixed(1)} ms; RSS serve ${sample.serveRss.toFixed(0)} MiB, worker ${sample.workerRss.toFixed(0)} MiB; ` +
        `event-loop lag p99 ${lagMs.toFixed(1)} ms; handles ${handles}; events not yet consumed ${behind}`,
    );
  }
  const all = await load.stop();

  // The first minute (after warm-up, which the capacity run already did) against the last.
  const perMinute = Math.max(1, Math.round(60 / SAMPLE_S));
  const first = samples.slice(0, perMinute);
  const last = samples.slice(-perMinute);
  const mean = (list: Sample[], f: (s: Sample) => number) => list.reduce((a, s) => a + f(s), 0) / list.length;
  const growth = (f: (s: Sample) => number) => (mean(last, f) / mean(first, f) - 1) * 100;
  const errors = failed(all);
  const report = {
    rate,
    capacity: Math.round(capacity),
    requests: all.length,
    errors: errors.length,
    serveRss: [mean(first, (s) => s.serveRss), mean(last, (s) => s.serveRss), growth((s) => s.serveRss)],
    workerRss: [mean(first, (s) => s.workerRss), mean(last, (s) => s.workerRss), growth((s) => s.workerRss)],
    p99: [mean(first, (s) => s.p99), mean(last, (s) => s.p99), growth((s) => s.p99)],
    lag: [mean(first, (s) => s.lagMs), mean(last, (s) => s.lagMs)],
    handles: [first[0]?.handles, last.at(-1)?.handles],
  };
  const f = (n: number | undefined, d = 1) => (n === undefined ? "?" : n.toFixed(d));
  console.log(
    [
      `soak: ${MINUTES} min at ${rate} req/s (${SHARE * 100} % of ${report.capacity} req/s measured), ${report.requests} requests, ${report.errors} errors`,
      `  RSS serve: ${f(report.serveRss[0], 0)} → ${f(report.serveRss[1], 0)} MiB (${f(report.serveRss[2])} %); worker: ${f(report.workerRss[0], 0)} → ${f(report.workerRss[1], 0)} MiB (${f(report.workerRss[2])} %)`,
      `  p99: ${f(report.p99[0])} → ${f(report.p99[1])} ms (drift ${f(report.p99[2])} %)`,
      `  event-loop lag p99 (serve): ${f(report.lag[0])} → ${f(report.lag[1])} ms; open handles (serve): ${report.handles[0]} → ${report.handles[1]}`,
      `  targets: RSS growth < 10 % ${Math.max(report.serveRss[2] ?? 0, report.workerRss[2] ?? 0) < 10 ? "met" : "MISSED"}, ` +
        `p99 drift < 20 % ${(report.p99[2] ?? 0) < 20 ? "met" : "MISSED"}, no error responses ${errors.length === 0 ? "met" : "MISSED"}`,
    ].join("\n"),
  );
  exitCode =
    Math.max(report.serveRss[2] ?? 0, report.workerRss[2] ?? 0) < 10 &&
    (report.p99[2] ?? 0) < 20 &&
    errors.length === 0
      ? 0
      : 1;
} finally {
  await db.end().catch(() => undefined);
  await cluster.stop();
}
process.exit(exitCode);
