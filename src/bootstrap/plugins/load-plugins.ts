import { checkContributions } from "../context/compose-contexts.js";
import type { ContextModule } from "../context/context-module.js";
import { findPlugins, type PluginSources, SERVICE_PLUGINS } from "./find-plugins.js";
import type { PluginManifest } from "./plugin-manifest.js";
import { startOrder } from "./start-order.js";

/**
 * The named plugins, found, checked and in start order, or a refusal naming the plugin: not found,
 * written for another keel plugin API, missing a dependency, in a cycle (PluginRefused), or claiming
 * a route, permission, config section or migration a context or another plugin has
 * (ContributionConflict). Nothing is bound or started until all of that holds.
 */
export async function loadPlugins(
  names: readonly string[],
  contexts: readonly ContextModule[],
  sources: PluginSources = SERVICE_PLUGINS,
): Promise<readonly PluginManifest[]> {
  const plugins = startOrder(await findPlugins(names, sources));
  checkContributions([...contexts, ...plugins]);
  return plugins;
}
