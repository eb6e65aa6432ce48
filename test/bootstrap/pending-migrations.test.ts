import * as assert from "uvu/assert";
import { call, startTestServer } from "../support/test-server.js";
import { test } from "../support/uvu.js";

test("given pending migrations and no migrate-on-start, readiness is 503 and names them; after migrating it is 200", async () => {
  const server = await startTestServer({
    env: {
      PERSISTENCE__DRIVER: "pglite",
      PGLITE__DATA_DIR: "memory://",
      DATABASE__MIGRATE_ON_START: "false",
    },
  });
  try {
    const ready = await call(`${server.url}/health/ready`);
    assert.is(ready.status, 503);
    const migrations = ready.body.data.checks.find((c: { name: string }) => c.name === "migrations");
    assert.is(migrations.status, "down");
    assert.match(
      migrations.error,
      /11 pending: 2026-11-24T0100-products, 2026-11-24T0200-events, 2026-11-24T0300-messaging, 2026-11-24T0310-product-stock-movements, 2026-11-24T0400-identity, 2026-11-24T0500-refresh-token-expiry-index, 2026-11-24T0600-stock-and-price-bounds, 2026-11-30T0800-idempotency-keys, 2026-11-30T0900-jobs, 2026-11-30T1000-orders, 2026-11-30T1100-product-reservations; run keel migrate up/,
    );

    const { Migrations } = await import("../../src/adapters/persistence/kysely/migrations.js");
    const { Tokens } = await import("../../src/bootstrap/tokens.js");
    await server.container.get<InstanceType<typeof Migrations>>(Tokens.Migrations).up();
    assert.is((await call(`${server.url}/health/ready`)).status, 200);
  } finally {
    await server.stop();
  }
});

test.run();
