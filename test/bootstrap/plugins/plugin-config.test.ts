import { resolve } from "node:path";
import * as assert from "uvu/assert";
import { loadService, type ServiceOptions } from "../../../src/bootstrap/app-config.js";
import { integer } from "../../../src/bootstrap/config/codecs.js";
import { setting } from "../../../src/bootstrap/config/define-config.js";
import { configFor } from "../../../src/bootstrap/context/compose-contexts.js";
import { contextSettings } from "../../../src/bootstrap/context/context-module.js";
import { ContributionConflict } from "../../../src/bootstrap/context/contributions.js";
import { CONTEXTS } from "../../../src/bootstrap/contexts.js";
import { definePlugin } from "../../../src/bootstrap/plugins/plugin-manifest.js";
import { alphaSettings } from "../../fixtures/plugins/alpha/index.js";
import { test } from "../../support/uvu.js";
import { configDir } from "../config/config-dir.js";

/**
 * PLUGINS__ENABLED decides which keys exist: a plugin's section is read, validated, documented in
 * errors and reloaded like the foundation's while the plugin is enabled, and is someone else's
 * business while it is not.
 */

const FIXTURES = {
  folder: resolve(import.meta.dirname, "../../fixtures/plugins"),
  packagesFrom: configDir(),
};

const load = (options: Omit<ServiceOptions, "pluginSources">) =>
  loadService({ ...options, pluginSources: FIXTURES });

test("given alpha enabled in .env and its key set there, when loading, then the key is known and read", async () => {
  const dir = configDir({ ".env": "PLUGINS__ENABLED=alpha\nALPHA__GREETING=bonjour\n" });

  const loaded = await load({ env: { APP_ENV: "test" }, dir });

  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  assert.equal(
    loaded.plugins.map((plugin) => plugin.name),
    ["alpha"],
  );
  assert.is(alphaSettings.of(loaded.config).greeting, "bonjour");
  assert.equal(loaded.config.plugins.enabled, ["alpha"]);
});

test("given alpha enabled, when its section has a typo and a bad value, then both are listed with the foundation's bad keys", async () => {
  const dir = configDir({ ".env": "ALPHA__GRETING=bonjour\n" });

  const loaded = await load({
    env: { APP_ENV: "test", PLUGINS__ENABLED: "alpha", ALPHA__GREETING: " ", HTTP__PORT: "x" },
    dir,
  });

  assert.not.ok(loaded.ok);
  assert.equal((loaded.ok ? [] : loaded.issues).map((issue) => `${issue.key}: ${issue.expected}`).sort(), [
    "ALPHA__GREETING: non-empty string",
    "ALPHA__GRETING: a known key (did you mean ALPHA__GREETING?)",
    "HTTP__PORT: integer 0..65535",
  ]);
});

test("given alpha not enabled, when a .env file sets its keys, then they are not ours to judge and the load succeeds", async () => {
  const dir = configDir({ ".env": "ALPHA__GREETING=bonjour\nALPHA__GRETING=bonjour\n" });

  const loaded = await load({ env: { APP_ENV: "test" }, dir });

  assert.ok(loaded.ok);
  assert.equal(loaded.ok ? loaded.plugins : undefined, []);
});

test("given a PLUGINS__ENABLED that is not a list of plugin names, when loading, then it is listed with every other bad key", async () => {
  const loaded = await load({
    env: { APP_ENV: "test", PLUGINS__ENABLED: "alpha,Not A Name", LOG__LEVEL: "loud" },
    dir: configDir(),
  });

  assert.not.ok(loaded.ok);
  assert.equal((loaded.ok ? [] : loaded.issues).map((issue) => issue.key).sort(), [
    "LOG__LEVEL",
    "PLUGINS__ENABLED",
  ]);
});

test("given development defaults, when loading keel's own plugins, then audit-log is enabled and admin holds audit:read by default", async () => {
  const loaded = await loadService({ env: {}, dir: configDir() });

  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  assert.equal(
    loaded.plugins.map((plugin) => plugin.name),
    ["audit-log"],
  );
  assert.ok(loaded.config.auth.rolePermissions.admin?.includes("audit:read"));
});

test("given a plugin whose config section has the key of one of the foundation's, then composing refuses naming both", () => {
  const greedy = definePlugin({
    name: "greedy",
    version: "0.1.0",
    keelApi: "1.0",
    settings: contextSettings("http", {
      port: setting(integer(1, 2), { default: "1", live: false, description: "Mine now." }),
    }),
  });

  try {
    configFor([...CONTEXTS, greedy]);
    assert.unreachable("the section was accepted");
  } catch (error) {
    assert.instance(error, ContributionConflict);
    assert.is(
      (error as Error).message,
      "the config section http is claimed by both the foundation and plugin greedy",
    );
  }
});

test.run();
