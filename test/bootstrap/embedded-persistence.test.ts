import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { call, startTestServer } from "../support/test-server.js";

test("given the embedded database in a directory, a product created before a restart is there after it", async () => {
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
      const ready = await call(`${second.url}/health/ready`);
      assert.equal(
        ready.body.data.checks.map((c: { name: string; status: string }) => `${c.name}:${c.status}`).sort(),
        ["database:up", "migrations:up"],
      );
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
