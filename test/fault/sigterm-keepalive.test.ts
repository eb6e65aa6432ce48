/**
 * Fault test (issue "SIGTERM under keep-alive load", item 11): `keel serve` runs as a child process
 * with a drain delay, under 50 keep-alive connections sending reads and writes without pause. The
 * test sends SIGTERM and then behaves as a load balancer does: it polls /health/ready every 100 ms
 * and sends no new request once readiness says 503. Requests already sent finish. No request may
 * fail (a reset POST leaves the client not knowing whether it was applied), every response the
 * server wrote while draining must say `Connection: close` (so no client reuses a connection that is
 * about to be closed), and the process exits 0. Three runs; the counts are printed.
 *
 * Loopback only; every wait is bounded.
 */
import { Agent, type IncomingHttpHeaders, request } from "node:http";
import * as assert from "uvu/assert";
import { cleanEnv, type Spawned, spawnTs, waitForOutput } from "../support/child-process.js";
import { test } from "../support/uvu.js";

const RUNS = 3;
const CONNECTIONS = 50;
const DRAIN_DELAY_MS = 1000;
const POLL_MS = 100;
/** Load before SIGTERM, so every connection is open and busy when it arrives. */
const WARM_UP_MS = 500;
/** One write in so many requests. */
const POST_EVERY = 4;
const REQUEST_TIMEOUT_MS = 10_000;

type Outcome =
  | { readonly sentAt: number; readonly status: number; readonly connection: string | undefined }
  | { readonly sentAt: number; readonly error: string };

interface Target {
  readonly host: string;
  readonly port: number;
}

/** One request on `agent`; resolves with the status and Connection header, or with the error code. */
function send(
  agent: Agent | false,
  target: Target,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Outcome & { readonly body?: string; readonly headers?: IncomingHttpHeaders }> {
  const sentAt = performance.now();
  return new Promise((resolve) => {
    const req = request({ ...target, agent, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () =>
        resolve({
          sentAt,
          status: res.statusCode ?? 0,
          connection: res.headers.connection,
          body: text,
          headers: res.headers,
        }),
      );
      res.on("error", (error: NodeJS.ErrnoException) =>
        resolve({ sentAt, error: error.code ?? error.message }),
      );
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error("timeout")));
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve({ sentAt, error: error.code ?? error.message }),
    );
    req.end(body);
  });
}

async function startServe(): Promise<{ spawned: Spawned; target: Target }> {
  const spawned = spawnTs(
    "src/bootstrap/cli.ts",
    ["serve"],
    cleanEnv({
      APP_ENV: "test",
      HTTP__HOST: "127.0.0.1",
      HTTP__PORT: "0",
      HTTP__DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      HTTP__SHUTDOWN_TIMEOUT_MS: "5000",
      LOG__LEVEL: "info",
      // The load is deliberate; rate limits are not what this test is about.
      RATE_LIMIT__ENABLED: "false",
    }),
  );
  const [, port] = await waitForOutput(spawned, /"port":(\d+)[^\n]*"msg":"keel is serving"/, 30_000).catch(
    (error: unknown) => {
      spawned.child.kill("SIGKILL");
      throw error;
    },
  );
  return { spawned, target: { host: "127.0.0.1", port: Number(port) } };
}

async function signInAsAdmin(target: Target): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "password",
    username: "admin@keel.local",
    password: "development-only-admin-password",
  }).toString();
  const res = await send(
    false,
    target,
    "POST",
    "/api/v1/auth/token",
    {
      "content-type": "application/x-www-form-urlencoded",
    },
    form,
  );
  if (!("status" in res) || res.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(res)}`);
  return `Bearer ${JSON.parse(res.body ?? "{}").access_token}`;
}

interface RunCounts {
  readonly requests: number;
  readonly posts: number;
  readonly errors: readonly string[];
  readonly duringDrain: number;
  readonly keepAliveDuringDrain: number;
  readonly statuses: Record<number, number>;
  readonly readyMs: number;
  readonly exitMs: number;
  readonly exitCode: number | string;
}

async function run(index: number): Promise<RunCounts> {
  const { spawned, target } = await startServe();
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    const authorization = await signInAsAdmin(target);
    const json = { "content-type": "application/json", authorization };
    const product = (n: string) =>
      JSON.stringify({ name: `Chair ${n}`, sku: `SK-${n}`, price: 100, currency: "EUR", stock: 5 });
    const seeded = await send(agent, target, "POST", "/api/v1/products", json, product(`${index}-seed`));
    const productId = JSON.parse(("body" in seeded && seeded.body) || "{}").data?.id as string;
    assert.type(productId, "string");

    // The server says it is draining the moment it logs this line (readiness turns 503 with it).
    let drainingSince = Number.POSITIVE_INFINITY;
    spawned.child.stdout?.on("data", (chunk: Buffer) => {
      if (drainingSince === Number.POSITIVE_INFINITY && chunk.toString().includes('"msg":"shutting down"'))
        drainingSince = performance.now();
    });

    let sending = true;
    const outcomes: Outcome[] = [];
    let posts = 0;
    const loop = async (connection: number) => {
      for (let i = 0; sending; i++) {
        if (i % POST_EVERY === POST_EVERY - 1) {
          posts += 1;
          outcomes.push(
            await send(
              agent,
              target,
              "POST",
              "/api/v1/products",
              json,
              product(`${index}-${connection}-${i}`),
            ),
          );
        } else {
          outcomes.push(await send(agent, target, "GET", `/api/v1/products/${productId}`));
        }
      }
    };
    const loops = Array.from({ length: CONNECTIONS }, (_, c) => loop(c));

    // The load balancer: a probe every POLL_MS on a connection of its own; SIGTERM arrives just
    // after one answered 200, as it may; new requests stop at the first 503.
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
    let signalledAt = 0;
    let readyAt = 0;
    const deadline = performance.now() + DRAIN_DELAY_MS * 5;
    while (sending && performance.now() < deadline) {
      const probe = await send(false, target, "GET", "/health/ready");
      if (!("status" in probe) || probe.status === 503) {
        sending = false;
        readyAt = performance.now();
        break;
      }
      if (signalledAt === 0) {
        spawned.child.kill("SIGTERM");
        signalledAt = performance.now();
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    sending = false;
    await Promise.all(loops);
    const exitCode = await Promise.race([
      spawned.exited(),
      new Promise<string>((resolve) => setTimeout(() => resolve("no exit within 10 s"), 10_000)),
    ]);
    const exitedAt = performance.now();

    const errors = outcomes.flatMap((o) => ("error" in o ? [o.error] : []));
    const answered = outcomes.flatMap((o) => ("status" in o ? [o] : []));
    const duringDrain = answered.filter((o) => o.sentAt > drainingSince);
    const statuses: Record<number, number> = {};
    for (const o of answered) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
    return {
      requests: outcomes.length,
      posts,
      errors,
      duringDrain: duringDrain.length,
      keepAliveDuringDrain: duringDrain.filter((o) => o.connection !== "close").length,
      statuses,
      readyMs: readyAt - signalledAt,
      exitMs: exitedAt - signalledAt,
      exitCode,
    };
  } finally {
    agent.destroy();
    spawned.child.kill("SIGKILL");
  }
}

test(`given keel serve under ${CONNECTIONS} keep-alive connections, when SIGTERM arrives and the balancer stops at readiness 503, then no request fails, draining responses say Connection: close, and it exits 0`, async () => {
  const results: RunCounts[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const counts = await run(i);
    results.push(counts);
    console.log(
      `  run ${i}: ${counts.requests} requests (${counts.posts} POST), statuses ${JSON.stringify(counts.statuses)}, ` +
        `${counts.errors.length} errors${counts.errors.length ? ` ${JSON.stringify(counts.errors.slice(0, 5))}` : ""}; ` +
        `${counts.duringDrain} sent while draining, ${counts.keepAliveDuringDrain} of them answered keep-alive; ` +
        `readiness 503 seen ${counts.readyMs.toFixed(0)} ms after SIGTERM, exit ${counts.exitCode} after ${counts.exitMs.toFixed(0)} ms`,
    );
  }
  for (const [i, counts] of results.entries()) {
    const run = `run ${i + 1}`;
    assert.equal(counts.errors, [], `${run}: no client error`);
    assert.ok(counts.duringDrain > 0, `${run}: the load overlapped the drain`);
    assert.is(counts.keepAliveDuringDrain, 0, `${run}: every response while draining says Connection: close`);
    assert.equal(Object.keys(counts.statuses).sort(), ["200", "201"], `${run}: only successes`);
    assert.is(counts.exitCode, 0, `${run}: exit code`);
  }
});

test.run();
