import * as assert from "uvu/assert";
import { redisLimiters } from "../../../../src/adapters/http/rate-limit/limiter-store.js";
import { createRateLimits } from "../../../../src/adapters/http/rate-limit/rate-limits.js";
import type { RedisConnection } from "../../../../src/adapters/redis/redis-connection.js";
import type { ConfigStore } from "../../../../src/bootstrap/config/index.js";
import { Tokens } from "../../../../src/bootstrap/tokens.js";
import { eventually } from "../../../support/eventually.js";
import { REDIS_URL, redisDecision, UNREACHABLE_REDIS_URL, uniqueKeyPrefix } from "../../../support/redis.js";
import { serviceTest } from "../../../support/services.js";
import { call, startTestServer, type TestServer } from "../../../support/test-server.js";
import { test } from "../../../support/uvu.js";

const REDIS_DOWN = { RATE_LIMIT__STORE: "redis", REDIS__URL: UNREACHABLE_REDIS_URL };

interface Check {
  readonly name: string;
  readonly required: boolean;
  readonly status: string;
}

async function redisCheck(server: TestServer): Promise<{ status: number; check: Check | undefined }> {
  const ready = await call(`${server.url}/health/ready`);
  const checks: Check[] = ready.body.data.checks;
  return { status: ready.status, check: checks.find((c) => c.name === "redis") };
}

test("given Redis unreachable and failing open, the API answers with per-process limits and readiness stays 200", async () => {
  const server = await startTestServer({
    env: { ...REDIS_DOWN, RATE_LIMIT__ON_STORE_FAILURE: "open", RATE_LIMIT__IP__POINTS: "2" },
  });
  try {
    const first = await call(`${server.url}/api/v1/products`);
    assert.is(first.status, 200);
    assert.is(first.headers.get("ratelimit-remaining"), "1");
    assert.is((await call(`${server.url}/api/v1/products`)).status, 200);
    assert.is((await call(`${server.url}/api/v1/products`)).status, 429, "the fallback still limits");

    const { status, check } = await redisCheck(server);
    assert.is(status, 200);
    assert.equal(check, { ...check, status: "down", required: false });

    let errors = 0;
    server.container.get<RedisConnection>(Tokens.Redis).client.on("error", () => errors++);
    await eventually(
      "two more failed reconnects",
      () => errors,
      (n) => n >= 2,
    );
    const warnings = server.log
      .lines()
      .filter((l) => l.msg === "redis unavailable; circuit open, calls skip redis until it answers a probe");
    assert.is(warnings.length, 1, "one warning per outage, not per reconnect or request");
    assert.is(warnings[0]?.consequence, "rate limits fall back to per-process counters");
  } finally {
    await server.stop();
  }
});

test("given Redis unreachable and failing closed, the API answers 503 RATE_LIMIT_UNAVAILABLE and readiness 503", async () => {
  const server = await startTestServer({ env: { ...REDIS_DOWN, RATE_LIMIT__ON_STORE_FAILURE: "closed" } });
  try {
    const refused = await call(`${server.url}/api/v1/products`, { headers: { "X-Request-ID": "no-redis" } });
    assert.is(refused.status, 503);
    assert.equal([refused.body.code, refused.body.requestId], ["RATE_LIMIT_UNAVAILABLE", "no-redis"]);

    const { status, check } = await redisCheck(server);
    assert.is(status, 503);
    assert.equal(check, { ...check, status: "down", required: true });
    assert.is((await call(`${server.url}/health/live`)).status, 200);
  } finally {
    await server.stop();
  }
});

test("given Redis unreachable and failing closed, when 200 requests are refused, then each 503 has Retry-After and only a handful of lines reach warn", async () => {
  const server = await startTestServer({ env: { ...REDIS_DOWN, RATE_LIMIT__ON_STORE_FAILURE: "closed" } });
  try {
    for (let i = 0; i < 200; i++) {
      const refused = await call(`${server.url}/api/v1/products`);
      assert.is(refused.status, 503);
      assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
    }
    const alarms = server.log.lines().filter((l) => Number(l.level) >= 40);
    assert.ok(
      alarms.length <= 3,
      `one line per change or window, not per refusal: ${JSON.stringify(alarms)}`,
    );
    const access = server.log.lines().filter((l) => l.status === 503);
    assert.is(access.length, 200, "the access log still has its one line per request");
    assert.ok(
      access.every((l) => l.level === 30),
      "at info: a refusal keel chose is not an error",
    );
  } finally {
    await server.stop();
  }
});

test("when failing closed is switched to open by a reload, the API answers again at once", async () => {
  const server = await startTestServer({ env: { ...REDIS_DOWN, RATE_LIMIT__ON_STORE_FAILURE: "closed" } });
  try {
    assert.is((await call(`${server.url}/api/v1/products`)).status, 503);
    server.env.RATE_LIMIT__ON_STORE_FAILURE = "open";
    server.store.reload();
    assert.is((await call(`${server.url}/api/v1/products`)).status, 200);
    assert.is((await redisCheck(server)).status, 200);
  } finally {
    await server.stop();
  }
});

const decision = await redisDecision();

serviceTest(decision, "given the Redis store, two servers share one address's budget", async () => {
  // Each run counts under its own prefix, so earlier runs and other suites never share its counters.
  const keyPrefix = uniqueKeyPrefix();
  const start = () =>
    startTestServer({
      env: { RATE_LIMIT__STORE: "redis", REDIS__URL: REDIS_URL, RATE_LIMIT__IP__POINTS: "3" },
      overrides: (container) => {
        container.rebind(Tokens.RateLimits).toResolvedValue(
          (store: ConfigStore, redis: RedisConnection) =>
            createRateLimits(
              redisLimiters(redis.client, keyPrefix, redis.breaker),
              store.select((c) => c.rateLimit),
            ),
          [Tokens.ConfigStore, Tokens.Redis],
        );
      },
    });
  const [a, b] = [await start(), await start()];
  try {
    assert.is((await call(`${a.url}/api/v1/products`)).headers.get("ratelimit-remaining"), "2");
    assert.is((await call(`${b.url}/api/v1/products`)).headers.get("ratelimit-remaining"), "1");
    assert.is((await call(`${a.url}/api/v1/products`)).status, 200);
    assert.is((await call(`${b.url}/api/v1/products`)).status, 429);
    const { status, check } = await redisCheck(a);
    assert.is(status, 200);
    assert.is(check?.status, "up");
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test.run();
