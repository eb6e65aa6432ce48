import { apiIncompatibility } from "./plugin-api.js";
import type { PluginManifest } from "./plugin-manifest.js";
import { PluginRefused } from "./plugin-refused.js";

/**
 * The enabled plugins in the order they start: each after the plugins it depends on, otherwise in the
 * order they are listed. Refuses, naming the plugin, one written for another keel plugin API, one
 * that depends on a plugin that is not enabled, and a dependency cycle.
 */
export function startOrder(plugins: readonly PluginManifest[]): PluginManifest[] {
  for (const plugin of plugins) {
    const incompatible = apiIncompatibility(plugin.keelApi);
    if (incompatible !== undefined) throw new PluginRefused(plugin.name, incompatible);
  }
  const byName = new Map(plugins.map((plugin) => [plugin.name, plugin]));
  const dependenciesOf = (plugin: PluginManifest): PluginManifest[] =>
    (plugin.dependsOn ?? []).map((name) => {
      const dependency = byName.get(name);
      if (dependency === undefined)
        throw new PluginRefused(
          plugin.name,
          `depends on ${name}, which is not enabled: add it to PLUGINS__ENABLED`,
        );
      return dependency;
    });
  for (const plugin of plugins) dependenciesOf(plugin);

  const ordered: PluginManifest[] = [];
  const placed = new Set<string>();
  // Depth first, dependencies before dependents; `path` is the chain that led here, so meeting a
  // plugin already on it is a cycle, reported as the chain that closes it.
  const place = (plugin: PluginManifest, path: readonly string[]): void => {
    if (placed.has(plugin.name)) return;
    if (path.includes(plugin.name)) {
      const cycle = [...path.slice(path.indexOf(plugin.name)), plugin.name];
      throw new PluginRefused(plugin.name, `is in a dependency cycle: ${cycle.join(" → ")}`);
    }
    for (const dependency of dependenciesOf(plugin)) place(dependency, [...path, plugin.name]);
    placed.add(plugin.name);
    ordered.push(plugin);
  };
  for (const plugin of plugins) place(plugin, []);
  return ordered;
}
