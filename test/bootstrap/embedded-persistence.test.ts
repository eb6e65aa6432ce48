import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { asAdmin } from "../support/auth.js";
import { call as anonymousCall, startTestServer } from "../support/test-server.js";
import { test } from "../support/uvu.js";

/** Every request here is the bootstrap admin's: product writes need product:write (anonymous access is the authorization matrix's subject). */
const call: typeof anonymousCall = async (url, init = {}) =>
  anonymousCall(url, { ...init, headers: { ...(await asAdmin(new URL(url).origin)), ...init.headers } });

test("given the embedded database in a directory, a product created before a restart is there after it, and the restart is quiet", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "keel-pglite-"));
  const env = { PERSISTENCE__DRIVER: "pglite", PGLITE__DATA_DIR: dataDir };
  try {
    const first = await startTestServer({ env });
    const created = await call(`${first.url}/api/v1/products`, {
      method: "POST",
      json: { name: "Survivor", sku: "KEEP-1", price: 990, currency: "EUR", stock: 3 },
    });
    assert.is(created.status, 201);
    await first.stop();

    const second = await startTestServer({ env });
    try {
      const found = await call(`${second.url}/api/v1/products/${created.body.data.id}`);
      assert.is(found.status, 200);
      assert.equal([found.body.data.name, found.body.data.stock], ["Survivor", 3]);
      const noisy = second.log
        .lines()
        .filter(
          (line) => JSON.stringify(line).includes("EMAIL_ALREADY_REGISTERED") || Number(line.level) >= 40,
        );
      assert.equal(noisy, [], "a restart finds the bootstrap admin present without a refusal or a warning");
      const ready = await call(`${second.url}/health/ready`);
      assert.equal(
        ready.body.data.checks.map((c: { name: string; status: string }) => `${c.name}:${c.status}`).sort(),
        ["database:up", "migrations:up", "payment-gateway:up"],
      );
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
