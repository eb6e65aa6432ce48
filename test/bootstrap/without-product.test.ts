import type { Kysely } from "kysely";
import { sql } from "kysely";
import * as assert from "uvu/assert";
import type { Database } from "../../src/adapters/persistence/kysely/database.js";
import { configTableRows } from "../../src/bootstrap/config/config-table.js";
import { configFor } from "../../src/bootstrap/context/compose-contexts.js";
import { CONTEXTS } from "../../src/bootstrap/contexts.js";
import { permissionsCommand } from "../../src/bootstrap/permissions-command.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { asAdmin, registerAndSignIn } from "../support/auth.js";
import { call, startTestServer } from "../support/test-server.js";
import { test } from "../support/uvu.js";

/**
 * The foundation does not depend on keel's example contexts: the service the context list makes
 * without its `product` and `order` lines (what deleting them gives; order is built on product) starts,
 * migrates and serves the rest. The import rules `example-context-is-removable` and
 * `order-example-is-removable` keep every other file from reaching them.
 */
const withoutProduct = CONTEXTS.filter((context) => context.name !== "product" && context.name !== "order");

test("given the contexts without the examples, their keys, permission and role default are gone from the configuration", () => {
  const definition = configFor(withoutProduct);
  const rows = configTableRows(definition);
  assert.ok(rows.length > 0);
  assert.not.ok(
    rows.some((row) => row.key.startsWith("PRODUCTS__") || row.key.startsWith("ORDERS__")),
    "no PRODUCTS__ or ORDERS__ key",
  );
  const roles = definition.entries.find((entry) => entry.key === "AUTH__ROLE_PERMISSIONS");
  assert.ok(roles?.kind === "setting", "AUTH__ROLE_PERMISSIONS is still there");
  // The other contexts' grants stay (which ones depends on the list); product's is gone.
  assert.match(String(roles.meta.default), /^admin=user:read:any user:write:any user:manage\b/);
  assert.not.match(String(roles.meta.default), /product:/);
  const lines: string[] = [];
  permissionsCommand(withoutProduct, (line) => lines.push(line));
  assert.not.ok(
    lines.some((line) => line.includes("product:") || line.includes("order:")),
    lines.join("\n"),
  );
  assert.ok(
    lines.some((line) => line.includes("`user:manage` | user |")),
    lines.join("\n"),
  );
});

test("given the contexts without the examples on PGlite, the service migrates, is ready and serves accounts but no products or orders", async () => {
  const server = await startTestServer({
    contexts: withoutProduct,
    env: { PERSISTENCE__DRIVER: "pglite", PGLITE__DATA_DIR: "memory://" },
  });
  try {
    assert.is((await call(`${server.url}/health/ready`)).status, 200);

    const { accessToken } = await registerAndSignIn(
      server.url,
      "solo@example.com",
      "a long enough passphrase",
    );
    const me = await call(`${server.url}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.is(me.status, 200);
    assert.is(me.body.data.email, "solo@example.com");
    assert.is((await call(`${server.url}/api/v1/users`, { headers: await asAdmin(server.url) })).status, 200);

    for (const gone of ["products", "orders"]) {
      const answer = await call(`${server.url}/api/v1/${gone}`);
      assert.is(answer.status, 404, gone);
      assert.is(answer.body.code, "NOT_FOUND", gone);
    }

    const document = await call(`${server.url}/openapi/v1.json`);
    const paths = Object.keys(document.body.paths);
    assert.ok(paths.includes("/api/v1/users"), paths.join(", "));
    assert.not.ok(
      paths.some((path) => path.includes("products") || path.includes("orders")),
      paths.join(", "),
    );

    const db = server.container.get<Kysely<Database>>(Tokens.Database);
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
      db,
    );
    const names = tables.rows.map((row) => row.name);
    assert.ok(names.includes("users") && names.includes("events"), names.join(", "));
    assert.not.ok(
      names.some((name) => name.startsWith("product") || name.startsWith("order")),
      names.join(", "),
    );
  } finally {
    await server.stop();
  }
});

test.run();
