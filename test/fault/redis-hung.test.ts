/**
 * Fault test (issue "Redis", items 9 and 10): keel's rate-limit counters live in a Redis of the
 * test's own, which the test freezes with SIGSTOP — the process stays, its sockets stay open, and
 * nothing is ever answered, so only a command timeout tells. With the circuit breaker, one burst pays
 * that timeout once; after that requests skip Redis (per-process counters when failing open, a 503
 * with Retry-After when failing closed) and readiness reports Redis down at once, with one log line
 * for the change. After SIGCONT a probe closes the circuit within about REDIS__PROBE_MS, and counts
 * land in Redis again. The measured latencies are printed.
 *
 * Loopback only; the frozen Redis is the test's own (killed by PID afterwards), never the shared one.
 */
import { Redis } from "ioredis";
import * as assert from "uvu/assert";
import { eventually } from "../support/eventually.js";
import { OwnRedis, ownRedisDecision } from "../support/own-redis.js";
import { serviceTest } from "../support/services.js";
import { call, type JsonResponse, startTestServer, type TestServer } from "../support/test-server.js";
import { test } from "../support/uvu.js";

const COMMAND_TIMEOUT_MS = 1000;
const PROBE_MS = 500;
/** Requests sent at once right after the freeze: they are in flight when the first command times out. */
const BURST = 20;
/** Requests sent one after another once the burst is over: each must skip Redis. */
const FOLLOW_UP = 200;
/** Well under a command timeout: a request that waited for Redis cannot be this fast. */
const FAST_MS = COMMAND_TIMEOUT_MS / 2;
/** Scheduling slack on a shared 2-core machine, on top of the bounds under test. */
const SLACK_MS = 400;

const OPENED = "redis unavailable; circuit open, calls skip redis until it answers a probe";
const CLOSED = "redis answers again; circuit closed";
/** The per-address counter of 127.0.0.1 (keel's prefix, the "ip" limit). */
const IP_COUNTER = "keel:rl:ip:127.0.0.1";
const PRODUCTS = "/api/v1/products";

interface Timed {
  readonly ms: number;
  readonly response: JsonResponse;
}

async function timed(url: string): Promise<Timed> {
  const started = performance.now();
  const response = await call(url);
  return { ms: performance.now() - started, response };
}

function summary(samples: readonly Timed[]): string {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => (ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0).toFixed(1);
  return `n=${ms.length} p50=${at(0.5)} ms p99=${at(0.99)} max=${at(1)} ms`;
}

interface ReadyCheck {
  readonly name: string;
  readonly status: string;
  readonly error?: string;
}

async function readiness(server: TestServer) {
  const started = performance.now();
  const ready = await call(`${server.url}/health/ready`);
  const redis: ReadyCheck | undefined = ready.body.data.checks.find((c: ReadyCheck) => c.name === "redis");
  return { status: ready.status, redis, ms: performance.now() - started };
}

function linesSaying(server: TestServer, message: string) {
  return server.log.lines().filter((l) => l.msg === message);
}

/** Lines at warn or above: what pages an operator. The access log's one info line per request is not. */
function alarms(server: TestServer) {
  return server.log.lines().filter((l) => Number(l.level) >= 40);
}

async function withFrozenRedis(
  mode: "open" | "closed",
  body: (context: { server: TestServer; redis: OwnRedis; counters: Redis }) => Promise<void>,
): Promise<void> {
  const redis = await OwnRedis.start();
  // Reads the counters directly; used only while the server answers.
  const counters = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  let server: TestServer | undefined;
  try {
    await counters.connect();
    server = await startTestServer({
      env: {
        RATE_LIMIT__STORE: "redis",
        REDIS__URL: redis.url,
        RATE_LIMIT__ON_STORE_FAILURE: mode,
        REDIS__COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
        REDIS__PROBE_MS: String(PROBE_MS),
      },
    });
    await body({ server, redis, counters });
  } finally {
    redis.resume();
    await server?.stop();
    counters.disconnect();
    await redis.stop();
  }
}

/** Freezes Redis, then sends a burst at once and FOLLOW_UP requests one by one; returns both, timed. */
async function freezeAndLoad(server: TestServer, redis: OwnRedis) {
  redis.pause();
  const frozenAt = performance.now();
  const burst = await Promise.all(Array.from({ length: BURST }, () => timed(`${server.url}${PRODUCTS}`)));
  const burstMs = performance.now() - frozenAt;
  const followUp: Timed[] = [];
  for (let i = 0; i < FOLLOW_UP; i++) followUp.push(await timed(`${server.url}${PRODUCTS}`));
  return { burst, burstMs, followUp };
}

/** Resumes Redis and waits for readiness to see it up again; returns how long that took. */
async function thawUntilUp(server: TestServer, redis: OwnRedis): Promise<number> {
  redis.resume();
  const resumedAt = performance.now();
  await eventually(
    "readiness to report redis up",
    async () => (await readiness(server)).redis?.status,
    (status) => status === "up",
    PROBE_MS + COMMAND_TIMEOUT_MS + 5000,
  );
  return performance.now() - resumedAt;
}

/** After recovery each request is counted in Redis again: the shared counter moves one by one. */
async function assertCountedInRedis(server: TestServer, counters: Redis): Promise<void> {
  const before = Number(await counters.get(IP_COUNTER));
  for (let i = 1; i <= 3; i++) {
    const response = await call(`${server.url}${PRODUCTS}`);
    assert.is(response.status, 200);
    assert.is(
      Number(await counters.get(IP_COUNTER)),
      before + i,
      "counted in Redis, shared by every instance",
    );
  }
}

const decision = await ownRedisDecision();

serviceTest(
  decision,
  "given a hung Redis and failing open, when a burst arrives, then one command timeout is paid once, later requests skip Redis, readiness says down at once, and SIGCONT closes the circuit",
  async () => {
    await withFrozenRedis("open", async ({ server, redis, counters }) => {
      assert.is((await call(`${server.url}${PRODUCTS}`)).status, 200);
      assert.is(Number(await counters.get(IP_COUNTER)), 1, "counted in Redis before the freeze");

      const { burst, burstMs, followUp } = await freezeAndLoad(server, redis);
      const ready = await readiness(server);
      console.log(
        `  [open] burst of ${BURST} at once: ${summary(burst)}, all answered after ${burstMs.toFixed(0)} ms\n` +
          `  [open] then ${FOLLOW_UP} one by one: ${summary(followUp)}\n` +
          `  [open] readiness while frozen: ${ready.status}, redis ${ready.redis?.status} in ${ready.ms.toFixed(1)} ms`,
      );
      assert.ok(
        burstMs < COMMAND_TIMEOUT_MS + SLACK_MS,
        `the burst costs at most one command timeout (${burstMs} ms)`,
      );
      for (const { response } of [...burst, ...followUp])
        assert.is(response.status, 200, "per-process counters");
      assert.ok(
        followUp.every((t) => t.ms < FAST_MS),
        `after the burst no request waits for Redis: ${summary(followUp)}`,
      );
      assert.is(ready.status, 200, "failing open, Redis is not required");
      assert.is(ready.redis?.status, "down");
      assert.match(ready.redis?.error ?? "", /circuit open/);
      assert.ok(ready.ms < FAST_MS, `readiness does not wait for a timeout (${ready.ms} ms)`);
      assert.is(linesSaying(server, OPENED).length, 1, "the change is logged once, not per request");
      assert.is(linesSaying(server, OPENED)[0]?.consequence, "rate limits fall back to per-process counters");

      const recoveryMs = await thawUntilUp(server, redis);
      console.log(
        `  [open] after SIGCONT, redis up in readiness after ${recoveryMs.toFixed(0)} ms (probe every ${PROBE_MS} ms)`,
      );
      assert.ok(
        recoveryMs < PROBE_MS + SLACK_MS,
        `the circuit closes within about probeMs (${recoveryMs} ms)`,
      );
      await assertCountedInRedis(server, counters);
      assert.is(linesSaying(server, CLOSED).length, 1);
      assert.is(linesSaying(server, OPENED).length, 1);
    });
  },
);

serviceTest(
  decision,
  "given a hung Redis and failing closed, when requests arrive, then they are refused fast with 503 and Retry-After, a handful of lines are logged, and SIGCONT serves again",
  async () => {
    await withFrozenRedis("closed", async ({ server, redis, counters }) => {
      assert.is((await call(`${server.url}${PRODUCTS}`)).status, 200);

      const { burst, burstMs, followUp } = await freezeAndLoad(server, redis);
      const ready = await readiness(server);
      const lines = server.log.lines().length;
      console.log(
        `  [closed] burst of ${BURST} at once: ${summary(burst)}, all answered after ${burstMs.toFixed(0)} ms\n` +
          `  [closed] then ${FOLLOW_UP} refused one by one: ${summary(followUp)}\n` +
          `  [closed] readiness while frozen: ${ready.status}, redis ${ready.redis?.status} in ${ready.ms.toFixed(1)} ms\n` +
          `  [closed] log lines for ${BURST + FOLLOW_UP} refusals: ${alarms(server).length} at warn or above, ${lines} in all (one access line each at info)`,
      );
      assert.ok(
        burstMs < COMMAND_TIMEOUT_MS + SLACK_MS,
        `the burst costs at most one command timeout (${burstMs} ms)`,
      );
      for (const { response } of [...burst, ...followUp]) {
        assert.is(response.status, 503);
        assert.is(response.body.code, "RATE_LIMIT_UNAVAILABLE");
        assert.match(response.headers.get("retry-after") ?? "", /^[1-9]\d*$/, "every 503 says when to retry");
      }
      assert.ok(
        followUp.every((t) => t.ms < FAST_MS),
        `refusals do not wait for Redis: ${summary(followUp)}`,
      );
      assert.is(ready.status, 503, "failing closed, Redis is required");
      assert.is(ready.redis?.status, "down");
      assert.ok(ready.ms < FAST_MS, `readiness does not wait for a timeout (${ready.ms} ms)`);
      const warned = alarms(server).map((l) => l.msg);
      assert.ok(warned.length <= 3, `a handful of lines, not one per refusal: ${JSON.stringify(warned)}`);
      assert.equal(
        warned.filter((m) => m === OPENED),
        [OPENED],
      );
      assert.ok(
        server.log.lines().every((l) => l.msg !== "request failed"),
        "a chosen 503 is not an access-log error",
      );

      const recoveryMs = await thawUntilUp(server, redis);
      console.log(
        `  [closed] after SIGCONT, redis up in readiness after ${recoveryMs.toFixed(0)} ms (probe every ${PROBE_MS} ms)`,
      );
      assert.ok(
        recoveryMs < PROBE_MS + SLACK_MS,
        `the circuit closes within about probeMs (${recoveryMs} ms)`,
      );
      assert.is((await readiness(server)).status, 200);
      await assertCountedInRedis(server, counters);
      assert.is(linesSaying(server, CLOSED).length, 1);
    });
  },
);

test.run();
