import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as assert from "uvu/assert";
import { findPlugins } from "../../../src/bootstrap/plugins/find-plugins.js";
import { PluginRefused } from "../../../src/bootstrap/plugins/plugin-refused.js";
import { rejects } from "../../support/rejects.js";
import { suite } from "../../support/uvu.js";

/**
 * Where a plugin named in PLUGINS__ENABLED comes from: the folder plugins/<name>, else an installed
 * package of that name, found in node_modules from the service's root upwards as Node finds it.
 */

interface Context {
  root: string;
  folder: string;
  /** The service's root, one level below the node_modules that holds the packages. */
  service: string;
}

const find = suite<Context>("finding plugins");

/** The source of a plugin package's entry module, written in plain JavaScript as a package would be. */
const manifestSource = (name: string) =>
  `export default { name: ${JSON.stringify(name)}, version: "1.2.3", keelApi: "1.0" };\n`;

/** An installed package whose entry is `entry`, declared by `fields` of its package.json. */
async function installPackage(root: string, name: string, fields: object, entry: string, source: string) {
  const dir = join(root, "node_modules", name);
  await mkdir(join(dir, entry, ".."), { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ name, type: "module", ...fields }));
  await writeFile(join(dir, entry), source);
}

find.before(async (context) => {
  context.root = await mkdtemp(join(tmpdir(), "keel-find-plugins-"));
  context.service = join(context.root, "service");
  context.folder = resolve(import.meta.dirname, "../../fixtures/plugins");
  await mkdir(context.service);
  const greeter = "keel-plugin-greeter";
  const exports = { ".": { import: "./dist/main.js" } };
  await installPackage(context.root, greeter, { exports }, "dist/main.js", manifestSource(greeter));
  const metrics = "@acme/keel-metrics";
  await installPackage(
    context.root,
    metrics,
    { main: "lib/index.js" },
    "lib/index.js",
    manifestSource(metrics),
  );
  const other = manifestSource("something-else");
  await installPackage(context.root, "renamed-plugin", { exports: "./index.js" }, "index.js", other);
  await installPackage(context.root, "plain-library", {}, "index.js", "export const helper = 1;\n");
});

find.after(async ({ root }) => {
  await rm(root, { recursive: true, force: true });
});

find(
  "given a folder under plugins/, then its index module's default export is the plugin",
  async ({ folder, service }) => {
    const [alpha] = await findPlugins(["alpha"], { folder, packagesFrom: service });

    assert.is(alpha?.name, "alpha");
    assert.is(alpha?.middleware?.length, 3, "alpha's own manifest, middleware and all");
  },
);

find(
  "given installed packages in a parent's node_modules, then each is found by its exports or its main, scoped or not, in the order named",
  async ({ folder, service }) => {
    const found = await findPlugins(["@acme/keel-metrics", "keel-plugin-greeter"], {
      folder,
      packagesFrom: service,
    });

    assert.equal(
      found.map((plugin) => `${plugin.name} ${plugin.version}`),
      ["@acme/keel-metrics 1.2.3", "keel-plugin-greeter 1.2.3"],
    );
  },
);

find(
  "given a package whose default export names another plugin, then it is refused naming both",
  async ({ folder, service }) => {
    const error = await rejects(
      () => findPlugins(["renamed-plugin"], { folder, packagesFrom: service }),
      PluginRefused,
    );

    assert.match(
      error.message,
      /^plugin renamed-plugin \(\S+\/node_modules\/renamed-plugin\/index\.js\) exports a manifest named "something-else"/,
    );
  },
);

find(
  "given a plugin folder whose manifest names itself otherwise, then it is refused naming the folder's plugin",
  async ({ folder, service }) => {
    const error = await rejects(
      () => findPlugins(["misnamed"], { folder, packagesFrom: service }),
      PluginRefused,
    );

    assert.is(error.plugin, "misnamed");
    assert.match(
      error.message,
      /exports a manifest named "well-named": a plugin is named as PLUGINS__ENABLED finds it$/,
    );
  },
);

find(
  "given an installed package that is no plugin, then it is refused: it exports no manifest",
  async ({ folder, service }) => {
    const error = await rejects(
      () => findPlugins(["plain-library"], { folder, packagesFrom: service }),
      PluginRefused,
    );

    assert.match(error.message, /\) exports no manifest: its default export must be one/);
  },
);

find.run();
