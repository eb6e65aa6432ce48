/**
 * Runs last (uvu orders test files by name, all in one process): scans everything the suite saw keel
 * say for any password, password hash, token or API-key secret the suite handled. It first drives one
 * full identity flow at trace level itself, so it has material even when run on its own.
 */

import * as assert from "uvu/assert";
import { asAdmin, registerAndSignIn, tokenRequest } from "./support/auth.js";
import { recorded, recordTelemetry, scan } from "./support/output-record.js";
import { RecordedSpans } from "./support/recorded-spans.js";
import { call, startTestServer } from "./support/test-server.js";
import { test } from "./support/uvu.js";

test("given a full identity flow logged at trace level and traced, then it leaves secrets for the scan to look for", async () => {
  const spans = new RecordedSpans();
  const server = await startTestServer({
    env: { LOG__LEVEL: "trace", TRACING__ENABLED: "true" },
    overrides: spans.override,
  });
  try {
    const ann = await registerAndSignIn(server.url, "scan.ann@example.com", "scan passphrase number one");
    await tokenRequest(server.url, {
      grant_type: "password",
      username: "scan.ann@example.com",
      password: "wrong passphrase here",
    });
    const refreshed = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: ann.refreshToken,
    });
    assert.is(refreshed.status, 200);
    await tokenRequest(server.url, { grant_type: "refresh_token", refresh_token: ann.refreshToken }); // reuse
    const changed = await call(`${server.url}/api/v1/users/${ann.userId}/password`, {
      method: "PUT",
      headers: { authorization: `Bearer ${ann.accessToken}` },
      json: { current_password: "scan passphrase number one", new_password: "scan passphrase number two" },
    });
    assert.is(changed.status, 200);
    const admin = await asAdmin(server.url);
    const me = (await call(`${server.url}/api/v1/users/me`, { headers: admin })).body.data.id;
    const key = await call(`${server.url}/api/v1/users/${me}/api-keys`, {
      method: "POST",
      headers: admin,
      json: { name: "scan", permissions: ["product:write"] },
    });
    assert.is(key.status, 201);
    const used = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers: { "x-api-key": key.body.data.key },
      json: { name: "Scanned", sku: "SCAN-1", price: 100, currency: "EUR", stock: 1 },
    });
    assert.is(used.status, 201);
    await call(`${server.url}/api/v1/users/me`, { headers: { "x-api-key": `${key.body.data.key}x` } });
    assert.ok(
      server.log.lines().some((line) => line.level === 10 || line.level === 20),
      "trace/debug lines were written",
    );
    assert.ok(spans.all().length > 20, `the flow was traced (${spans.all().length} spans)`);
    const metrics = (await call(`${server.url}/metrics`)).body as string;
    recordTelemetry("metrics exposition", () => metrics);
  } finally {
    await server.stop();
  }
});

test("given a log line that carries a secret, then the scan reports it (the scan can fail)", () => {
  const secret = { kind: "password", value: "a password that leaked into a log" };
  const leaks = scan(
    [
      { source: "clean", text: () => '{"msg":"request completed","status":200}' },
      { source: "leaky", text: () => `{"msg":"sign-in","password":"${secret.value}"}` },
      { source: "hash", text: () => '{"hash":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}' },
      { source: "log with address", text: () => '{"msg":"welcome mail","to":"ann@example.com"}' },
      {
        source: "span with address",
        text: () => '{"name":"send mail","attributes":{"to":"ann@example.com"}}',
        telemetry: true,
      },
    ],
    [secret],
  );
  assert.equal(
    leaks.map((leak) => `${leak.source}: ${leak.kind}`),
    ["leaky: password", "hash: password hash", "span with address: e-mail address"],
  );
});

test("given everything the suite saw, then no response, log line or process output holds a secret", () => {
  const { outputs, secrets } = recorded();
  const kinds = new Set(secrets.map((secret) => secret.kind));
  for (const kind of [
    "password",
    "access token",
    "refresh token",
    "refresh token hash",
    "api key",
    "api key hash",
  ]) {
    assert.ok(kinds.has(kind), `the suite handled at least one ${kind}`);
  }
  assert.ok(outputs.length >= 10, `the scan covers many outputs (${outputs.length})`);
  const leaks = scan(outputs, secrets);
  assert.equal(
    leaks.map((leak) => `${leak.kind} in ${leak.source}: ${leak.context}`),
    [],
    `${leaks.length} leaks across ${outputs.length} outputs and ${secrets.length} secrets`,
  );
});

test.run();
