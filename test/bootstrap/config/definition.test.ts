import * as t from "io-ts";
import * as assert from "uvu/assert";
import { appConfig } from "../../../src/bootstrap/app-config.js";
import { configTableMarkdown, configTableRows } from "../../../src/bootstrap/config/config-table.js";
import { toPropertyName } from "../../../src/bootstrap/config/key-case.js";
import { test } from "../../support/uvu.js";

/** The property paths of the codec's leaves: a record (a family) counts as one leaf. */
function leafPaths(codec: t.Mixed, path: readonly string[] = []): string[] {
  const inner = codec instanceof t.ReadonlyType ? codec.type : codec;
  if (!(inner instanceof t.InterfaceType)) return [path.join(".")];
  return Object.entries<t.Mixed>(inner.props).flatMap(([property, child]) =>
    leafPaths(child, [...path, property]),
  );
}

test("given the codec and the key table, then every codec leaf has exactly one entry and every entry a leaf", () => {
  const entryPaths = appConfig.entries.map((entry) => entry.path.join("."));
  assert.equal(entryPaths, leafPaths(appConfig.codec));
  assert.is(new Set(entryPaths).size, entryPaths.length);
});

test("given every entry, then its env key's SNAKE segments map back to its camelCase property path", () => {
  for (const entry of appConfig.entries) {
    const envPath = entry.kind === "setting" ? entry.key : entry.prefix.slice(0, -"__".length);
    assert.equal(envPath.split("__").map(toPropertyName), entry.path, entry.key);
  }
});

test("given the definition, then the config table has one row per key, with type, default(s), reload policy and description", () => {
  const rows = configTableRows(appConfig);
  assert.equal(
    rows.map((row) => row.key),
    appConfig.entries.map((entry) => entry.key),
  );
  const byKey = new Map(rows.map((row) => [row.key, row]));
  assert.equal(byKey.get("HTTP__CORS__ORIGINS"), {
    key: "HTTP__CORS__ORIGINS",
    type: "comma-separated origins (http(s)://host[:port] or *), or empty",
    default: "development: http://localhost:3000,http://localhost:5173; test, production: (empty)",
    reload: "live",
    secret: false,
    description: "Origins allowed by CORS; empty allows none.",
  });
  assert.is(byKey.get("LOG__LEVEL")?.default, "development, production: info; test: silent");
  assert.is(byKey.get("HTTP__PORT")?.reload, "restart");
  assert.is(byKey.get("FEATURES__<NAME>")?.default, "(none)");
});

test("given the table rows, when rendered as Markdown, then each key is one row whose pipes and tags are escaped", () => {
  const lines = configTableMarkdown(configTableRows(appConfig)).split("\n");
  assert.is(lines.length, 2 + appConfig.entries.length);
  assert.ok(
    lines.includes(
      "| `APP_ENV` | one of development\\|test\\|production | development | restart | Deployment environment; picks the defaults and the .env.\\<APP_ENV> file. |",
    ),
  );
});

test.run();
