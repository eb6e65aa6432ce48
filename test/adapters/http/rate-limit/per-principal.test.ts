import type { AddressInfo } from "node:net";
import Koa from "koa";
import * as assert from "uvu/assert";
import type { AppState } from "../../../../src/adapters/http/app-state.js";
import { errorMapper } from "../../../../src/adapters/http/middleware/error-mapper.js";
import { requestId } from "../../../../src/adapters/http/middleware/request-id.js";
import { memoryLimiters } from "../../../../src/adapters/http/rate-limit/limiter-store.js";
import { createRateLimits } from "../../../../src/adapters/http/rate-limit/rate-limits.js";
import type { Principal } from "../../../../src/application/shared/execution-context.js";
import { uniqueKeyPrefix } from "../../../support/redis.js";
import { call } from "../../../support/test-server.js";
import { test } from "../../../support/uvu.js";
import { recordingLogger } from "../../mail/recording-logger.js";
import { liveSettings } from "./live-settings.js";

/**
 * The per-request limiter behind a stand-in for authentication, which names the principal from a
 * test header, the way the real authentication stage runs just before it.
 */
async function serve(points: { ip: number; principal: number }) {
  const limits = createRateLimits(
    memoryLimiters(uniqueKeyPrefix()),
    liveSettings({
      ip: { points: points.ip, windowS: 60 },
      principal: { points: points.principal, windowS: 60 },
    }),
  );
  const app = new Koa<AppState>({ proxy: true });
  app.use(requestId(recordingLogger()));
  app.use(errorMapper());
  app.use(async (ctx, next) => {
    const [kind, id] = ctx.get("X-Test-Principal").split(":");
    const principal: Principal | undefined =
      kind === "user"
        ? { kind: "user", userId: id ?? "", roles: [], permissions: new Set() }
        : kind === "apiKey"
          ? { kind: "apiKey", keyId: id ?? "", userId: "owner", permissions: new Set() }
          : undefined;
    if (principal) ctx.state.principal = principal;
    await next();
  });
  app.use(limits.perRequest);
  app.use((ctx) => {
    ctx.body = { code: "OK" };
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = (principal: string, ip: string) =>
    call(url, { headers: { "X-Test-Principal": principal, "X-Forwarded-For": ip } });
  return { request, close: () => new Promise((resolve) => server.close(resolve)) };
}

test("given a signed-in user, requests from every address count against the user's budget", async () => {
  const server = await serve({ ip: 100, principal: 2 });
  try {
    assert.is((await server.request("user:u1", "198.51.100.1")).status, 200);
    assert.is((await server.request("user:u1", "198.51.100.2")).status, 200);
    const refused = await server.request("user:u1", "198.51.100.3");
    assert.is(refused.status, 429);
    assert.is(refused.body.code, "RATE_LIMITED");
    assert.is(refused.headers.get("ratelimit-limit"), "2");
    assert.is((await server.request("user:u2", "198.51.100.3")).status, 200, "another user is unaffected");
  } finally {
    await server.close();
  }
});

test("given an API key, it has a budget of its own", async () => {
  const server = await serve({ ip: 100, principal: 1 });
  try {
    assert.is((await server.request("apiKey:k1", "198.51.100.1")).status, 200);
    assert.is((await server.request("apiKey:k1", "198.51.100.2")).status, 429);
    assert.is((await server.request("apiKey:k2", "198.51.100.2")).status, 200);
  } finally {
    await server.close();
  }
});

test("given both limits, the headers describe the tighter one", async () => {
  const server = await serve({ ip: 10, principal: 3 });
  try {
    const res = await server.request("user:u1", "198.51.100.1");
    assert.equal([res.headers.get("ratelimit-limit"), res.headers.get("ratelimit-remaining")], ["3", "2"]);
    const anonymous = await server.request("", "198.51.100.1");
    assert.equal(
      [anonymous.headers.get("ratelimit-limit"), anonymous.headers.get("ratelimit-remaining")],
      ["10", "8"],
    );
  } finally {
    await server.close();
  }
});

test("given an address that is exhausted, a signed-in user there is refused too", async () => {
  const server = await serve({ ip: 1, principal: 100 });
  try {
    assert.is((await server.request("", "198.51.100.1")).status, 200);
    assert.is((await server.request("user:u1", "198.51.100.1")).status, 429);
  } finally {
    await server.close();
  }
});

test.run();
