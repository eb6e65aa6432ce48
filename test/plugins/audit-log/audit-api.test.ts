import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import type { Migrations } from "../../../src/adapters/persistence/kysely/migrations.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { asAdmin, bearer, registerAndSignIn } from "../../support/auth.js";
import { cleanEnv, spawnTs } from "../../support/child-process.js";
import { createTestSchema, postgresDecision, type TestSchema } from "../../support/postgres.js";
import { rejects } from "../../support/rejects.js";
import { serviceTest } from "../../support/services.js";
import { call, startTestServer } from "../../support/test-server.js";
import { test } from "../../support/uvu.js";

/**
 * The audit-log plugin end to end, through keel's HTTP API on the embedded database and on PostgreSQL:
 * commands sent over HTTP are listed at GET /api/v1/audit, for holders of audit:read only.
 */

const chair = (sku: string) => ({ name: "Oak chair", sku, price: 12999, currency: "EUR", stock: 5 });

/** The persistence settings of one driver, and how to clean up after it. */
interface Database {
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

async function database(driver: "pglite" | "postgres"): Promise<Database> {
  if (driver === "postgres") {
    const schema: TestSchema = await createTestSchema();
    return { env: { PERSISTENCE__DRIVER: "postgres", DATABASE__URL: schema.url }, drop: schema.drop };
  }
  const dataDir = mkdtempSync(join(tmpdir(), "keel-audit-"));
  return {
    env: { PERSISTENCE__DRIVER: "pglite", PGLITE__DATA_DIR: dataDir },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

const withAudit = (db: Database) =>
  startTestServer({ env: { ...db.env, PLUGINS__ENABLED: "audit-log", RATE_LIMIT__ENABLED: "false" } });

async function recordsCommands(driver: "pglite" | "postgres"): Promise<void> {
  const db = await database(driver);
  const server = await withAudit(db);
  try {
    const admin = await asAdmin(server.url);
    const me = await call(`${server.url}/api/v1/users/me`, { headers: admin });
    const adminPrincipal = `user:${me.body.data.id}`;

    // When: a product is created, a second one with the same SKU is refused, and its stock adjusted.
    const created = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers: { ...admin, "x-request-id": `audit-${driver}-create` },
      json: chair(`AUDIT-${driver}`),
    });
    assert.is(created.status, 201);
    const refused = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers: admin,
      json: chair(`AUDIT-${driver}`),
    });
    assert.is(refused.status, 409);
    const adjusted = await call(`${server.url}/api/v1/products/${created.body.data.id}/stock-adjustments`, {
      method: "POST",
      headers: { ...admin, "x-request-id": `audit-${driver}-adjust` },
      json: { delta: 2, reason: "restock" },
    });
    assert.is(adjusted.status, 200, JSON.stringify(adjusted.body));

    // Then: the successful writes are listed, newest first, each with its request and aggregate.
    const products = await call(
      `${server.url}/api/v1/audit?principal=${adminPrincipal}&message=CreateProduct`,
      {
        headers: admin,
      },
    );
    assert.is(products.status, 200);
    assert.is(products.body.code, "OK");
    assert.equal(
      products.body.data.items.map((e: Record<string, string>) => [
        e.message,
        e.principal,
        e.correlation_id,
        e.aggregate_id,
      ]),
      [["CreateProduct", adminPrincipal, `audit-${driver}-create`, created.body.data.id]],
      "the refused create is not recorded",
    );
    assert.ok(Date.parse(products.body.data.items[0].recorded_at) <= Date.now());

    const newest = await call(`${server.url}/api/v1/audit?principal=${adminPrincipal}&page_size=1`, {
      headers: admin,
    });
    const older = await call(`${server.url}/api/v1/audit?principal=${adminPrincipal}&page_size=1&page=2`, {
      headers: admin,
    });
    assert.equal(
      [...newest.body.data.items, ...older.body.data.items].map((e: Record<string, string>) => e.message),
      ["AdjustStock", "CreateProduct"],
    );
    assert.equal([newest.body.data.total, newest.body.data.page, newest.body.data.page_size], [2, 1, 1]);
    const signIns = await call(`${server.url}/api/v1/audit?principal=anonymous&message=SignInWithPassword`, {
      headers: admin,
    });
    assert.ok(signIns.body.data.total >= 1, "the admin's own sign-in, which no event records, is there");
    assert.not.ok("aggregate_id" in signIns.body.data.items[0], "a sign-in names no aggregate");
  } finally {
    await server.stop();
    await db.drop();
  }
}

async function readersOnly(driver: "pglite" | "postgres"): Promise<void> {
  const db = await database(driver);
  const server = await withAudit(db);
  try {
    const user = await registerAndSignIn(server.url, `reader-${driver}@example.com`);

    const anonymous = await call(`${server.url}/api/v1/audit`);
    const withoutPermission = await call(`${server.url}/api/v1/audit`, { headers: bearer(user.accessToken) });
    const malformed = await call(`${server.url}/api/v1/audit?order=sideways&page=0&colour=red`, {
      headers: await asAdmin(server.url),
    });

    assert.equal([anonymous.status, anonymous.body.code], [401, "UNAUTHENTICATED"]);
    assert.equal([withoutPermission.status, withoutPermission.body.code], [403, "FORBIDDEN"]);
    assert.equal([malformed.status, malformed.body.code], [400, "VALIDATION_FAILED"]);
    assert.equal(malformed.body.errors.map((e: { path: string }) => e.path).sort(), [
      "query.colour",
      "query.order",
      "query.page",
    ]);
  } finally {
    await server.stop();
    await db.drop();
  }
}

/**
 * Turning the plugin off leaves its table and its migration's record behind; keel starts without it
 * (a migration the database ran that nothing brings any more is kept as applied, and reverting it asks
 * for the plugin back), and turning it on again finds the entries where they were.
 */
async function survivesBeingDisabled(driver: "pglite" | "postgres"): Promise<void> {
  const db = await database(driver);
  try {
    const first = await withAudit(db);
    const created = await call(`${first.url}/api/v1/products`, {
      method: "POST",
      headers: await asAdmin(first.url),
      json: chair(`KEPT-${driver}`),
    });
    assert.is(created.status, 201);
    await first.stop();

    const without = await startTestServer({ env: db.env });
    try {
      assert.is((await call(`${without.url}/health/ready`)).status, 200);
      const gone = await call(`${without.url}/api/v1/audit`, { headers: await asAdmin(without.url) });
      assert.is(gone.status, 404);
      const revert = await rejects(() => without.container.get<Migrations>(Tokens.Migrations).down(), Error);
      assert.match(
        revert.message,
        /2026-12-01T0900-audit-log came from a plugin or context this service no longer has/,
      );
    } finally {
      await without.stop();
    }

    const again = await withAudit(db);
    try {
      const listed = await call(`${again.url}/api/v1/audit?message=CreateProduct`, {
        headers: await asAdmin(again.url),
      });
      assert.equal(
        listed.body.data.items.map((e: Record<string, string>) => e.aggregate_id),
        [created.body.data.id],
      );
    } finally {
      await again.stop();
    }
  } finally {
    await db.drop();
  }
}

const postgres = await postgresDecision();

for (const driver of ["pglite", "postgres"] as const) {
  const run = driver === "postgres" ? serviceTest.bind(undefined, postgres) : test;
  run(
    `[${driver}] given audit-log enabled, when commands are sent over HTTP, then each that succeeded is listed with its principal, request and aggregate, newest first, filtered and paged`,
    () => recordsCommands(driver),
  );
  run(
    `[${driver}] given audit-log enabled, then only holders of audit:read may list, and a malformed query is a 400 naming each parameter`,
    () => readersOnly(driver),
  );
  run(
    `[${driver}] given audit-log once enabled, when keel starts without it and then with it again, then it starts each time and the entries are still there`,
    () => survivesBeingDisabled(driver),
  );
}

test("given development defaults, then keel permissions lists audit:read, declared by plugin audit-log and granted to admin", async () => {
  const keel = spawnTs("src/bootstrap/cli.ts", ["permissions"], cleanEnv({}));

  assert.is(await keel.exited(), 0, keel.stderr());
  assert.match(keel.stdout(), /^\| `audit:read` \| plugin audit-log \| .+ \| admin \|$/m);
});

test.run();
