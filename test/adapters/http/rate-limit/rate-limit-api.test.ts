import * as assert from "uvu/assert";
import { call, startTestServer } from "../../../support/test-server.js";
import { test } from "../../../support/uvu.js";

const LIMITED = { RATE_LIMIT__IP__POINTS: "3", RATE_LIMIT__IP__WINDOW_S: "60" };

test("given a limit of 3 per address, answers carry RateLimit headers and the 4th request is a 429 envelope", async () => {
  const server = await startTestServer({ env: LIMITED });
  try {
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(`${server.url}/api/v1/products`);
      assert.is(res.status, 200);
      assert.is(res.headers.get("ratelimit-limit"), "3");
      remaining.push(res.headers.get("ratelimit-remaining"));
      const reset = Number(res.headers.get("ratelimit-reset"));
      assert.ok(reset >= 1 && reset <= 60, `RateLimit-Reset ${reset}`);
    }
    assert.equal(remaining, ["2", "1", "0"]);

    const refused = await call(`${server.url}/api/v1/products`, { headers: { "X-Request-ID": "too-many" } });
    assert.is(refused.status, 429);
    assert.equal(Object.keys(refused.body).sort(), ["code", "message", "requestId"]);
    assert.equal([refused.body.code, refused.body.requestId], ["RATE_LIMITED", "too-many"]);
    const retryAfter = Number(refused.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.is(refused.headers.get("ratelimit-limit"), "3");
    assert.is(refused.headers.get("ratelimit-remaining"), "0");
    assert.ok(Number(refused.headers.get("ratelimit-reset")) >= 1);
  } finally {
    await server.stop();
  }
});

test("given an exhausted address, then the OAuth2 endpoints refuse with 429 in OAuth2's format, not the envelope", async () => {
  const server = await startTestServer({ env: { RATE_LIMIT__IP__POINTS: "1" } });
  try {
    await call(`${server.url}/api/v1/products`);
    for (const endpoint of ["token", "revoke"]) {
      const refused = await call(`${server.url}/api/v2/auth/${endpoint}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=password&username=a%40example.com&password=whatever&token=x",
      });
      assert.is(refused.status, 429, endpoint);
      assert.equal(refused.body, {
        error: "too_many_requests",
        error_description: refused.body.error_description,
      });
      assert.match(refused.body.error_description, "too many requests");
      assert.ok(Number(refused.headers.get("retry-after")) >= 1, "Retry-After");
      assert.is(refused.headers.get("ratelimit-remaining"), "0");
      assert.is(refused.headers.get("cache-control"), "no-store");
    }
    // The rest of the API keeps its envelope.
    assert.is((await call(`${server.url}/api/v1/products`)).body.code, "RATE_LIMITED");
  } finally {
    await server.stop();
  }
});

test("given an exhausted address, health probes still answer and are not counted", async () => {
  const server = await startTestServer({ env: { RATE_LIMIT__IP__POINTS: "1" } });
  try {
    await call(`${server.url}/api/v1/products`);
    assert.is((await call(`${server.url}/api/v1/products`)).status, 429);
    const ready = await call(`${server.url}/health/ready`);
    assert.is(ready.status, 200);
    assert.is(ready.headers.get("ratelimit-limit"), null);
    assert.is((await call(`${server.url}/health/live`)).status, 200);
  } finally {
    await server.stop();
  }
});

test("when the limit is raised and config reloads, the new limit applies without a restart", async () => {
  const server = await startTestServer({ env: { RATE_LIMIT__IP__POINTS: "1" } });
  try {
    await call(`${server.url}/api/v1/products`);
    assert.is((await call(`${server.url}/api/v1/products`)).status, 429);

    server.env.RATE_LIMIT__IP__POINTS = "5";
    assert.equal(server.store.reload().applied, ["RATE_LIMIT__IP__POINTS"]);

    const res = await call(`${server.url}/api/v1/products`);
    assert.is(res.status, 200);
    assert.is(res.headers.get("ratelimit-limit"), "5");
  } finally {
    await server.stop();
  }
});

test("given RATE_LIMIT__ENABLED=false, nothing is limited until a reload turns limits on", async () => {
  const server = await startTestServer({ env: { ...LIMITED, RATE_LIMIT__ENABLED: "false" } });
  try {
    for (let i = 0; i < 5; i++) {
      const res = await call(`${server.url}/api/v1/products`);
      assert.is(res.status, 200);
      assert.is(res.headers.get("ratelimit-limit"), null);
    }
    server.env.RATE_LIMIT__ENABLED = "true";
    server.store.reload();
    assert.is((await call(`${server.url}/api/v1/products`)).headers.get("ratelimit-remaining"), "2");
  } finally {
    await server.stop();
  }
});

test("given HTTP__TRUST_PROXY=true, each X-Forwarded-For client has its own budget", async () => {
  const server = await startTestServer({ env: { RATE_LIMIT__IP__POINTS: "1", HTTP__TRUST_PROXY: "true" } });
  try {
    const from = (ip: string) =>
      call(`${server.url}/api/v1/products`, { headers: { "X-Forwarded-For": ip } });
    assert.is((await from("198.51.100.1")).status, 200);
    assert.is((await from("198.51.100.1")).status, 429);
    assert.is((await from("198.51.100.2")).status, 200);
  } finally {
    await server.stop();
  }
});

test("given routes that hash a password, one address gets fewer of them than of anything else", async () => {
  const server = await startTestServer({ env: { RATE_LIMIT__EXPENSIVE__POINTS: "2" } });
  try {
    const register = (n: number) =>
      call(`${server.url}/api/v1/users`, {
        method: "POST",
        json: {
          email: `signup.${n}@example.com`,
          password: "a long enough passphrase",
          given_name: "S",
          family_name: "U",
        },
      });
    assert.is((await register(1)).status, 201);
    assert.is((await register(2)).status, 201);
    const third = await register(3);
    assert.equal([third.status, third.body.code], [429, "RATE_LIMITED"]);
    assert.ok(Number(third.headers.get("retry-after")) > 0);
    assert.is(third.headers.get("ratelimit-limit"), "2");
    // Everything else from the same address is still served.
    assert.is((await call(`${server.url}/api/v1/products`)).status, 200);
  } finally {
    await server.stop();
  }
});

test("given one trusted proxy hop, a client-written X-Forwarded-For entry cannot buy a fresh budget", async () => {
  const server = await startTestServer({ env: { RATE_LIMIT__IP__POINTS: "1", HTTP__TRUST_PROXY: "true" } });
  try {
    // The client forges the left entry; our proxy appends the address it saw on the right.
    const from = (forged: string) =>
      call(`${server.url}/api/v1/products`, { headers: { "X-Forwarded-For": `${forged}, 198.51.100.7` } });
    assert.is((await from("203.0.113.1")).status, 200);
    assert.is((await from("203.0.113.2")).status, 429);
  } finally {
    await server.stop();
  }
});

test("given an untrusted proxy (the default), X-Forwarded-For cannot buy a client a fresh budget", async () => {
  const server = await startTestServer({ env: { RATE_LIMIT__IP__POINTS: "1" } });
  try {
    const from = (ip: string) =>
      call(`${server.url}/api/v1/products`, { headers: { "X-Forwarded-For": ip } });
    assert.is((await from("198.51.100.1")).status, 200);
    assert.is((await from("198.51.100.2")).status, 429);
  } finally {
    await server.stop();
  }
});

test.run();
