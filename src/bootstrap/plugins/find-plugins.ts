import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PluginManifest } from "./plugin-manifest.js";
import { PluginRefused } from "./plugin-refused.js";

/** Where plugins are looked for. */
export interface PluginSources {
  /** Holds one folder per local plugin, with its manifest in `index.ts` (`index.js` once built). */
  readonly folder: string;
  /** Where installed packages are looked up: its node_modules, then each parent's, as Node does. */
  readonly packagesFrom: string;
}

/**
 * The service's own: the repository's plugins/ folder and its packages. Found from this file, not the
 * working directory, so a build (which compiles plugins/ to dist/plugins) finds its compiled copy.
 */
export const SERVICE_PLUGINS: PluginSources = {
  folder: fileURLToPath(new URL("../../../plugins/", import.meta.url)),
  packagesFrom: fileURLToPath(new URL("../../../", import.meta.url)),
};

/** Running from sources the manifest is `index.ts`, from a build `index.js`. */
const OWN_EXTENSION = extname(fileURLToPath(import.meta.url));

/**
 * Each named plugin's manifest, in the order named: the folder `<folder>/<name>` when there is one,
 * else the installed package `<name>`. Either way the manifest is the module's default export, and
 * its name is the one it was found by.
 */
export async function findPlugins(
  names: readonly string[],
  sources: PluginSources,
): Promise<PluginManifest[]> {
  const found: PluginManifest[] = [];
  for (const name of names) {
    const entry = folderEntry(join(sources.folder, name)) ?? packageEntry(name, sources.packagesFrom);
    if (entry === undefined)
      throw new PluginRefused(
        name,
        `was not found: there is no folder ${join(sources.folder, name)} and no installed package ${name}`,
      );
    const module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
    found.push(manifestOf(name, entry, module.default));
  }
  return found;
}

function folderEntry(folder: string): string | undefined {
  const other = OWN_EXTENSION === ".ts" ? ".js" : ".ts";
  return [`index${OWN_EXTENSION}`, `index${other}`]
    .map((file) => join(folder, file))
    .find((file) => existsSync(file));
}

function packageEntry(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const root = join(dir, "node_modules", name);
    if (existsSync(join(root, "package.json"))) {
      const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageJson;
      return join(root, exportedRoot(manifest.exports) ?? manifest.main ?? "index.js");
    }
    if (dirname(dir) === dir) return undefined;
  }
}

interface PackageJson {
  readonly exports?: unknown;
  readonly main?: string;
}

/** What `import "<package>"` loads by the package's exports: its root, under import, node or default. */
function exportedRoot(exports: unknown): string | undefined {
  if (typeof exports !== "object" || exports === null)
    return typeof exports === "string" ? exports : undefined;
  const map = exports as Readonly<Record<string, unknown>>;
  return conditional(Object.keys(map).some((key) => key.startsWith(".")) ? map["."] : map);
}

function conditional(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (typeof target !== "object" || target === null || Array.isArray(target)) return undefined;
  const conditions = target as Readonly<Record<string, unknown>>;
  for (const condition of ["import", "node", "default"]) {
    const found = conditional(conditions[condition]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The default export, checked as far as a plugin written in plain JavaScript could get it wrong. */
function manifestOf(name: string, entry: string, exported: unknown): PluginManifest {
  const refused = (problem: string) => new PluginRefused(name, `(${entry}) ${problem}`);
  if (typeof exported !== "object" || exported === null)
    throw refused(
      "exports no manifest: its default export must be one (export default definePlugin({ ... }))",
    );
  const manifest = exported as Readonly<Record<string, unknown>>;
  if (manifest.name !== name)
    throw refused(
      `exports a manifest named ${JSON.stringify(manifest.name)}: a plugin is named as PLUGINS__ENABLED finds it`,
    );
  if (typeof manifest.version !== "string" || manifest.version === "") throw refused("declares no version");
  if (typeof manifest.keelApi !== "string") throw refused("declares no keel plugin API (keelApi)");
  const { dependsOn } = manifest;
  if (dependsOn !== undefined && !(Array.isArray(dependsOn) && dependsOn.every((d) => typeof d === "string")))
    throw refused("declares dependsOn that is not a list of plugin names");
  return exported as PluginManifest;
}
