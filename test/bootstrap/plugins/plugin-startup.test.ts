import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as assert from "uvu/assert";
import { type PermissionCatalog, Permissions } from "../../../src/application/shared/permissions.js";
import { loadService } from "../../../src/bootstrap/app-config.js";
import { CONFIG_EXIT_CODE, ConfigStore } from "../../../src/bootstrap/config/index.js";
import { ContributionConflict } from "../../../src/bootstrap/context/contributions.js";
import { ComponentFailedToStart } from "../../../src/bootstrap/lifecycle.js";
import type { PluginSources } from "../../../src/bootstrap/plugins/find-plugins.js";
import { PluginRefused } from "../../../src/bootstrap/plugins/plugin-refused.js";
import { work } from "../../../src/bootstrap/work.js";
import { journal } from "../../fixtures/plugins/journal.js";
import { asAdmin } from "../../support/auth.js";
import { CapturedLog } from "../../support/captured-log.js";
import { cleanEnv, spawnTs } from "../../support/child-process.js";
import { freePort } from "../../support/free-port.js";
import { rejects } from "../../support/rejects.js";
import { call, startTestServer } from "../../support/test-server.js";
import { test } from "../../support/uvu.js";

/**
 * Plugins at start-up, with the fixture plugins of test/fixtures/plugins: the order their hooks run
 * in, and each reason keel refuses to start with them — a clear error naming the plugin, before
 * anything is served.
 */

const FIXTURES: PluginSources = {
  folder: resolve(import.meta.dirname, "../../fixtures/plugins"),
  // No installed package is found from an empty directory.
  packagesFrom: mkdtempSync(join(tmpdir(), "keel-no-packages-")),
};

const withPlugins = (enabled: string, env: Record<string, string> = {}) =>
  startTestServer({ env: { PLUGINS__ENABLED: enabled, ...env }, pluginSources: FIXTURES });

test("given beta, which depends on alpha, listed first, when keel serves, then every init runs before any start, alpha's first, and on stop beta stops before alpha", async () => {
  journal.length = 0;
  const server = await withPlugins("beta,alpha");

  assert.equal(journal, ["alpha init (serve)", "beta init (serve)", "alpha start", "beta start"]);
  await server.stop();
  assert.equal(journal.slice(4), ["beta stop", "alpha stop"]);
});

test("given keel worker, then the plugins' hooks run there too, in the same order, and stop in reverse", async () => {
  journal.length = 0;
  const loaded = await loadService({
    env: {
      APP_ENV: "test",
      HTTP__HOST: "127.0.0.1",
      WORKER__HEALTH_PORT: "0",
      PLUGINS__ENABLED: "beta,alpha",
    },
    dir: FIXTURES.packagesFrom,
    pluginSources: FIXTURES,
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const { definition, config, reread, contexts, plugins } = loaded;

  const worker = await work(new ConfigStore({ definition, config, reread }), {
    contexts,
    plugins,
    logDestination: new CapturedLog(),
  });
  assert.equal(journal, ["alpha init (worker)", "beta init (worker)", "alpha start", "beta start"]);
  await worker.stop();
  assert.equal(journal.slice(4), ["beta stop", "alpha stop"]);
});

test("given alpha enabled, then its middleware runs at its stages, its key is read (and reloaded) like any other, and its permission is known", async () => {
  const server = await withPlugins("alpha", { ALPHA__GREETING: "bonjour" });
  try {
    // The `request` stage runs for every request, probes included; `authenticated` only for the API,
    // once the caller is known.
    const probe = await call(`${server.url}/health/live`);
    assert.is(probe.headers.get("x-alpha-greeting"), "bonjour");
    assert.is(probe.headers.get("x-alpha-principal"), null);
    const anonymous = await call(`${server.url}/api/v1/products`);
    assert.is(anonymous.headers.get("x-alpha-principal"), "anonymous");
    const admin = await call(`${server.url}/api/v1/users/me`, { headers: await asAdmin(server.url) });
    assert.is(admin.headers.get("x-alpha-principal"), `user:${admin.body.data.id}`);
    // `routes` runs just before the routes, with the JSON body parsed.
    const created = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers: await asAdmin(server.url),
      json: { name: "Alpha chair", sku: "ALPHA-1", price: 100, currency: "EUR", stock: 1 },
    });
    assert.is(created.status, 201);
    assert.is(created.headers.get("x-alpha-body-fields"), "name,sku,price,currency,stock");
    assert.is(probe.headers.get("x-alpha-body-fields"), null);

    server.env.ALPHA__GREETING = "hallo";
    assert.equal(server.store.reload().applied, ["ALPHA__GREETING"]);
    assert.is((await call(`${server.url}/health/live`)).headers.get("x-alpha-greeting"), "hallo");

    assert.ok(server.container.get<PermissionCatalog>(Permissions).has("alpha:read"));
  } finally {
    await server.stop();
  }
});

test("given two plugins that depend on each other, when keel starts, then it refuses naming the cycle", async () => {
  const error = await rejects(() => withPlugins("cycle-a,cycle-b"), PluginRefused);
  assert.is(error.message, "plugin cycle-a is in a dependency cycle: cycle-a → cycle-b → cycle-a");
});

test("given a plugin whose dependency is not enabled, when keel starts, then it refuses naming both", async () => {
  const error = await rejects(() => withPlugins("lonely"), PluginRefused);
  assert.is(
    error.message,
    "plugin lonely depends on absent, which is not enabled: add it to PLUGINS__ENABLED",
  );
});

test("given a plugin written for another keel plugin API, when keel starts, then it refuses naming the plugin and both versions", async () => {
  const error = await rejects(() => withPlugins("alpha,from-the-future"), PluginRefused);
  assert.is(
    error.message,
    "plugin from-the-future needs keel plugin API 2.0, and this keel offers 1.0: it runs plugins written for 1.0 to 1.0",
  );
});

test("given a plugin serving a route a context serves, when keel starts, then it refuses naming the route and both", async () => {
  const error = await rejects(() => withPlugins("route-thief"), ContributionConflict);
  assert.is(error.message, "the route GET /api/v1/users is claimed by both user and plugin route-thief");
});

test("given two plugins declaring one permission, when keel starts, then it refuses naming the permission and both", async () => {
  const error = await rejects(() => withPlugins("alpha,copycat"), ContributionConflict);
  assert.is(error.message, "the permission alpha:read is claimed by both plugin alpha and plugin copycat");
});

test("given a plugin whose start throws, when keel starts, then start-up fails naming it, the plugins started before it are stopped, and nothing is left listening", async () => {
  journal.length = 0;
  const port = await freePort();
  const error = await rejects(
    () => withPlugins("failing-start,alpha", { HTTP__PORT: String(port) }),
    ComponentFailedToStart,
  );

  assert.is(error.message, "plugin failing-start: the licence server said no");
  assert.equal(journal, ["alpha init (serve)", "alpha start", "alpha stop"]);
  const refused = await new Promise<string>((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done("connected");
    });
    socket.once("error", (cause: NodeJS.ErrnoException) => done(cause.code ?? "error"));
  });
  assert.is(refused, "ECONNREFUSED");
});

test("given a name that is neither a folder under plugins/ nor an installed package, when keel starts, then it refuses naming it", async () => {
  const error = await rejects(() => withPlugins("nowhere"), PluginRefused);
  assert.is(
    error.message,
    `plugin nowhere was not found: there is no folder ${join(FIXTURES.folder, "nowhere")} and no installed package nowhere`,
  );
});

test("given keel serve with a plugin it refuses, then it says so in one line, without a stack, and exits 78", async () => {
  const keel = spawnTs(
    "src/bootstrap/cli.ts",
    ["serve"],
    cleanEnv({ APP_ENV: "test", HTTP__PORT: "0", PLUGINS__ENABLED: "nowhere" }),
  );
  assert.is(await keel.exited(), CONFIG_EXIT_CODE);
  assert.match(
    keel.stderr(),
    /^keel: cannot start: plugin nowhere was not found: there is no folder \S+\/plugins\/nowhere and no installed package nowhere\n$/,
  );
});

test.run();
