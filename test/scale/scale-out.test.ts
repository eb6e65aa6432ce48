/**
 * Scale-out (issue 16): three `keel serve` and two `keel worker` processes on the real PostgreSQL,
 * Redis and NATS JetStream, behind a real HAProxy that health-checks /health/ready, as deployed.
 *
 * Under steady mixed load from 50 clients (reads, authenticated stock adjustments, sign-ins), each
 * serve is restarted in turn (SIGTERM, wait for its exit, start it again), then a worker gets SIGTERM
 * and is restarted, then the other worker is SIGKILLed. Afterwards: no request failed at the client;
 * every adjustment acknowledged with 2xx is in the event log, and nothing else is; each event was
 * published once and every subscriber's effect happened exactly once (reconciled against the log);
 * the surviving worker kept consuming. Then the per-IP and per-user rate limits, counted in Redis, are
 * shown to hold across the three instances: a window allows exactly the limit, not three times it.
 *
 * Prints: requests sent, failed, writes acknowledged vs found, rate-limit allowances vs limit, events
 * in the log vs effects. Loopback only (clients bind 127.x.y.z source addresses); bounded in time.
 */
import { randomBytes, randomInt } from "node:crypto";
import { Agent } from "node:http";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import * as assert from "uvu/assert";
import { describeLedger, exactlyOnce, ledger, progress } from "../support/delivery-ledger.js";
import { eventually } from "../support/eventually.js";
import { Haproxy, haproxyDecision } from "../support/haproxy.js";
import { KeelCluster } from "../support/keel-cluster.js";
import { type Client, failed, type Outcome, percentile, send, startLoad } from "../support/mixed-load.js";
import { NATS_URL } from "../support/nats.js";
import { STACK_ADMIN, stackDecision } from "../support/production-stack.js";
import type { ServiceDecision } from "../support/services.js";
import { serviceTest } from "../support/services.js";
import { hold, logLines, tally } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";

const SERVES = 3;
const WORKERS = 2;
const CLIENTS = 50;
/** Requests per second over all clients: steady, well below what the three instances take here. */
const RATE = 120;
const LIMIT = 300;
const WINDOW_S = 60;
/** HAProxy probes every 200 ms and takes a server out after 2 failures: 400 ms, within the drain delay. */
const DRAIN_DELAY_MS = 1000;

async function decision(): Promise<ServiceDecision> {
  const stack = await stackDecision();
  return stack.run ? haproxyDecision() : stack;
}

/** Addresses of this run: a second octet of its own, so no earlier run's counters apply in Redis. */
const NET = `127.${randomInt(10, 250)}`;
const clientAddress = (i: number) => `${NET}.1.${10 + i}`;

/** How long, by the process's own log, from "shutting down" to `last`, in ms. */
function stoppedAfter(stdout: string, last: string): string {
  const times = (msg: string) =>
    logLines(stdout)
      .filter((line) => line.msg === msg)
      .map((line) => Number(line.time));
  const [from] = times("shutting down");
  const [to] = times(last);
  return from === undefined || to === undefined ? "?" : String(to - from);
}

/** `count` GETs from `addresses` (spread evenly), `concurrency` at a time; statuses counted. */
async function burst(
  url: string,
  path: string,
  addresses: readonly string[],
  count: number,
  headers: Record<string, string> = {},
): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  const agents = addresses.map(() => new Agent({ keepAlive: true, maxSockets: 4 }));
  let next = 0;
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      while (next < count) {
        const i = next++;
        const reply = await send(url, {
          path,
          headers,
          agent: agents[i % addresses.length],
          localAddress: addresses[i % addresses.length] ?? "",
        });
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
      }
    }),
  );
  for (const agent of agents) agent.destroy();
  return statuses;
}

serviceTest(
  await decision(),
  `given ${SERVES} serve and ${WORKERS} worker processes behind HAProxy under steady mixed load from ${CLIENTS} clients, when each serve is restarted in turn, a worker gets SIGTERM and the other SIGKILL, then no request fails, every acknowledged write is stored, every event has its effects exactly once, and rate limits hold across instances`,
  async () => {
    const started = performance.now();
    const run = `scale-${randomBytes(4).toString("hex")}`;
    const cluster = await KeelCluster.start({
      serves: SERVES,
      workers: WORKERS,
      env: {
        HTTP__DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
        HTTP__SHUTDOWN_TIMEOUT_MS: "5000",
        HTTP__TRUST_PROXY: "true",
        HTTP__PROXY_HOPS: "1",
        RATE_LIMIT__IP__POINTS: String(LIMIT),
        RATE_LIMIT__IP__WINDOW_S: String(WINDOW_S),
        RATE_LIMIT__PRINCIPAL__POINTS: String(LIMIT),
        RATE_LIMIT__PRINCIPAL__WINDOW_S: String(WINDOW_S),
        AUTH__DEFAULT_ROLES: "catalog-manager",
      },
    });
    const haproxy = await Haproxy.start({
      servers: cluster.serves.map((s) => s.port),
      interMs: 200,
      fall: 2,
      rise: 2,
    }).catch(async (error: unknown) => {
      await cluster.stop();
      throw error;
    });
    const db = new pg.Client({ connectionString: cluster.stack.schema.url });
    let nc: NatsConnection | undefined;
    const lines: string[] = [];
    try {
      await db.connect();
      await haproxy.allUp();
      const setupStarted = performance.now();

      // Given: the admin, and per client an account (registered from the client's own address: the
      // registration limit is per address), a product of its own, and a signed-in token.
      const signIn = (email: string, password: string, localAddress: string) =>
        send(haproxy.url, {
          method: "POST",
          path: "/api/v1/auth/token",
          localAddress,
          form: { grant_type: "password", username: email, password },
        });
      const admin = await signIn(STACK_ADMIN.email, STACK_ADMIN.password, `${NET}.0.1`);
      assert.is(admin.status, 200, JSON.stringify(admin.body));
      const adminHeaders = { authorization: `Bearer ${admin.body.access_token}` };
      // Five at a time: each registration and sign-in hashes a password (argon2, tens of ms of CPU).
      const clients: Client[] = [];
      for (let from = 0; from < CLIENTS; from += 5) {
        clients.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(5, CLIENTS - from) }, async (_, k): Promise<Client> => {
              const i = from + k;
              const address = clientAddress(i);
              const email = `${run}-${i}@keel.test`;
              const password = `scale-client-passphrase-${i}`;
              const registered = await send(haproxy.url, {
                method: "POST",
                path: "/api/v1/users",
                localAddress: address,
                json: { email, password, given_name: "Scale", family_name: `Client ${i}` },
              });
              assert.is(registered.status, 201, JSON.stringify(registered.body));
              const product = await send(haproxy.url, {
                method: "POST",
                path: "/api/v1/products",
                localAddress: `${NET}.0.1`,
                headers: adminHeaders,
                json: {
                  name: `Scale ${i}`,
                  sku: `${run}-${i}`.toUpperCase(),
                  price: 100,
                  currency: "EUR",
                  stock: 1000,
                },
              });
              assert.is(product.status, 201, JSON.stringify(product.body));
              const token = await signIn(email, password, address);
              assert.is(token.status, 200, JSON.stringify(token.body));
              return {
                address,
                email,
                password,
                productId: product.body.data.id,
                token: token.body.access_token,
              };
            }),
          )),
        );
      }
      lines.push(
        `setup: ${CLIENTS} accounts, products and sign-ins in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
      );

      // When: steady load, and the restarts and kills under it.
      const load = startLoad({ url: haproxy.url, clients, rate: RATE, adjustEvery: 4, signInEvery: 40, run });
      await hold(2000);
      for (const [i, serve] of cluster.serves.entries()) {
        const t0 = performance.now();
        const code = await cluster.terminate(serve);
        const exited = performance.now();
        const shutdown = stoppedAfter(serve.spawned.stdout(), "keel stopped");
        await cluster.restart(serve, "serve");
        const servers = await haproxy.allUp();
        lines.push(
          `serve ${i + 1}: SIGTERM → exit ${code} in ${(exited - t0).toFixed(0)} ms (keel's log: stopped ${shutdown} ms after "shutting down"); started again and UP in HAProxy ` +
            `${(performance.now() - exited).toFixed(0)} ms later (${servers.map((s) => `${s.name} ${s.status}`).join(", ")})`,
        );
        assert.is(code, 0, `serve ${i + 1} exit code`);
      }

      const graceful = cluster.workers[0];
      const killed = cluster.workers[1];
      if (graceful === undefined || killed === undefined) throw new Error("two workers expected");
      const t1 = performance.now();
      const workerCode = await cluster.terminate(graceful);
      lines.push(
        `worker 1: SIGTERM under load → exit ${workerCode} in ${(performance.now() - t1).toFixed(0)} ms ` +
          `(keel's log: stopped ${stoppedAfter(graceful.spawned.stdout(), "keel worker stopped")} ms after "shutting down")`,
      );
      assert.is(workerCode, 0, "worker 1 exit code");
      await cluster.restart(graceful, "worker");
      await hold(1000);

      const processed = async () =>
        Number(
          (
            await db.query<{ n: string }>(
              "select count(*) as n from inbox where subscriber = 'product-stock-history'",
            )
          ).rows[0]?.n,
        );
      const atKill = await processed();
      const killedAt = performance.now();
      killed.spawned.child.kill("SIGKILL");
      assert.is(await killed.spawned.exited(), "SIGKILL");
      const movedTo = await eventually(
        "the surviving worker to go on consuming",
        async () => {
          await hold(100);
          return processed();
        },
        (n) => n > atKill + 20,
        20_000,
      );
      lines.push(
        `worker 2: SIGKILL under load at ${atKill} stock events processed; the other worker had processed ` +
          `${movedTo - atKill} more ${(performance.now() - killedAt).toFixed(0)} ms later`,
      );
      await hold(2000);
      const outcomes: Outcome[] = await load.stop();

      // Then: every request answered with success.
      const failures = failed(outcomes);
      const seconds = (outcomes.at(-1)?.at ?? 0) - (outcomes[0]?.at ?? 0);
      lines.push(
        `requests sent: ${outcomes.length} in ${(seconds / 1000).toFixed(1)} s (${outcomes.filter((o) => o.kind === "read").length} reads, ` +
          `${outcomes.filter((o) => o.kind === "adjust").length} stock adjustments, ${outcomes.filter((o) => o.kind === "sign-in").length} sign-ins); ` +
          `failed: ${failures.length}${failures.length ? ` (${tally(failures.map((f) => ({ status: f.status, code: f.error ?? f.code, ms: 0, retryAfter: null, body: undefined })))})` : ""}; ` +
          `p50 ${percentile(outcomes, 50).toFixed(0)} ms, p99 ${percentile(outcomes, 99).toFixed(0)} ms`,
      );

      // Every acknowledged write is in the log, and nothing this run did not acknowledge is.
      const acknowledged = new Set(
        outcomes.filter((o) => o.kind === "adjust" && o.status === 200).map((o) => o.reason ?? ""),
      );
      const stored = new Set(
        (
          await db.query<{ reason: string }>(
            "select data->>'reason' as reason from events where type = 'product.stock_adjusted' and data->>'reason' like $1",
            [`${run}-%`],
          )
        ).rows.map((row) => row.reason),
      );
      const missing = [...acknowledged].filter((reason) => !stored.has(reason));
      lines.push(
        `writes acknowledged: ${acknowledged.size}; found in the event log: ${stored.size}; acknowledged but missing: ${missing.length}`,
      );

      // Every event published once and processed once by each subscriber, reconciled against the log.
      await eventually(
        "the relay and the surviving worker to catch up",
        () => progress(db, 250),
        (p) => p.published && p.behind === 0,
        60_000,
      );
      nc = await connect({ servers: NATS_URL, timeout: 2000 });
      const final = await ledger(db, nc, cluster.stack.stream);
      lines.push(...describeLedger(final));

      // Rate limits across the three instances, counted in Redis: one window allows exactly the limit.
      const before = await haproxy.servers();
      const ipStatuses = await burst(
        haproxy.url,
        `/api/v1/products/${clients[0]?.productId}`,
        [`${NET}.2.1`],
        LIMIT * 1.5,
      );
      const limited = { email: `${run}-limits@keel.test`, password: "scale-limits-passphrase" };
      const account = await send(haproxy.url, {
        method: "POST",
        path: "/api/v1/users",
        localAddress: `${NET}.3.9`,
        json: { ...limited, given_name: "Rate", family_name: "Limited" },
      });
      assert.is(account.status, 201, JSON.stringify(account.body));
      const heavy = await signIn(limited.email, limited.password, `${NET}.3.9`);
      assert.is(heavy.status, 200);
      const userStatuses = await burst(
        haproxy.url,
        `/api/v1/products/${clients[1]?.productId}`,
        [`${NET}.3.1`, `${NET}.3.2`, `${NET}.3.3`],
        LIMIT * 1.5,
        { authorization: `Bearer ${heavy.body.access_token}` },
      );
      const after = await haproxy.servers();
      const spread = after.map(
        (s) => `${s.name} ${s.sessions - (before.find((b) => b.name === s.name)?.sessions ?? 0)}`,
      );
      lines.push(
        `rate limit per IP: ${ipStatuses[200] ?? 0} allowed of ${LIMIT * 1.5} sent from one address, limit ${LIMIT} per ${WINDOW_S} s (429: ${ipStatuses[429] ?? 0})`,
        `rate limit per user: ${userStatuses[200] ?? 0} allowed of ${LIMIT * 1.5} sent by one account from three addresses, limit ${LIMIT} per ${WINDOW_S} s (429: ${userStatuses[429] ?? 0})`,
        `  (the bursts went to every instance: ${spread.join(", ")} requests)`,
        `wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      console.log(lines.map((line) => `  ${line}`).join("\n"));

      assert.equal(failures, [], "no request failed at the client");
      assert.ok(outcomes.length > RATE * 10, "the load ran throughout");
      assert.equal(missing, [], "every acknowledged write is stored");
      assert.is(stored.size, acknowledged.size, "nothing unacknowledged was stored");
      assert.ok(exactlyOnce(final), describeLedger(final).join("\n"));
      assert.ok(final.events > acknowledged.size, "the log holds the run's events");
      assert.equal(ipStatuses, { 200: LIMIT, 429: LIMIT / 2 });
      assert.equal(userStatuses, { 200: LIMIT, 429: LIMIT / 2 });
      assert.ok(after.every((s) => s.sessions > (before.find((b) => b.name === s.name)?.sessions ?? 0)));
    } catch (error) {
      console.log(lines.map((line) => `  ${line}`).join("\n"));
      console.log(`  HAProxy's log (last lines):\n${haproxy.log().split("\n").slice(-15).join("\n")}`);
      throw error;
    } finally {
      await db.end().catch(() => undefined);
      await nc?.close().catch(() => undefined);
      await haproxy.stop();
      await cluster.stop();
    }
  },
);

test.run();
