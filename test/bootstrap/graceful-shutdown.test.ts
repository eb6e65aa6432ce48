import * as assert from "uvu/assert";
import { asAdmin } from "../support/auth.js";
import { cleanEnv, spawnTs, waitForOutput } from "../support/child-process.js";
import { test } from "../support/uvu.js";

test("given a slow request in flight, when SIGTERM arrives, then readiness turns 503, the request completes saying Connection: close, and the process exits 0", async () => {
  const server = spawnTs(
    "test/fixtures/slow-server.ts",
    [],
    cleanEnv({
      APP_ENV: "test",
      HTTP__HOST: "127.0.0.1",
      HTTP__PORT: "0",
      HTTP__DRAIN_DELAY_MS: "300",
      HTTP__SHUTDOWN_TIMEOUT_MS: "5000",
      SLOW_MS: "900",
    }),
  );
  try {
    const [, port] = await waitForOutput(server, /LISTENING (\d+)/);
    const base = `http://127.0.0.1:${port}`;
    const created = await fetch(`${base}/api/v1/products`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await asAdmin(base)) },
      body: JSON.stringify({ name: "Slow", sku: "SLOW-1", price: 1, currency: "EUR", stock: 1 }),
    });
    const { data } = (await created.json()) as { data: { id: string } };

    const inFlight = fetch(`${base}/api/v1/products/${data.id}`);
    await new Promise((done) => setTimeout(done, 150));
    server.child.kill("SIGTERM");
    await new Promise((done) => setTimeout(done, 100));

    const readiness = await fetch(`${base}/health/ready`);
    assert.is(readiness.status, 503, "readiness must fail while draining");
    assert.is(((await readiness.json()) as { data: { draining: boolean } }).data.draining, true);

    const slow = await inFlight;
    assert.is(slow.status, 200);
    assert.is(
      slow.headers.get("connection"),
      "close",
      "a response written while draining closes its connection",
    );
    assert.is(((await slow.json()) as { data: { name: string } }).data.name, "Slow");

    assert.is(await server.exited(), 0);
    const refused = await fetch(`${base}/health/live`).then(
      () => "answered",
      () => "refused",
    );
    assert.is(refused, "refused");
  } finally {
    server.child.kill("SIGKILL");
  }
});

test.run();
