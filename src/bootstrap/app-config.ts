import type { ConfigIssue } from "./config/config-issue.js";
import type { ConfigDefinition } from "./config/define-config.js";
import type { AppConfig, CoreSettings } from "./config/definition.js";
import { type LoadOptions, type LoadResult, loadConfigWith } from "./config/load-config.js";
import { configFor, schemaMigrations } from "./context/compose-contexts.js";
import type { ContextModule } from "./context/context-module.js";
import { CONTEXTS } from "./contexts.js";
import { enabledPlugins } from "./plugins/enabled-plugins.js";
import type { PluginSources } from "./plugins/find-plugins.js";
import { loadPlugins } from "./plugins/load-plugins.js";
import type { PluginManifest } from "./plugins/plugin-manifest.js";

/**
 * Every key of the foundation and its contexts. Plugins add theirs once PLUGINS__ENABLED is read
 * (loadService); this is the definition the README's table and .env.example document.
 */
export const appConfig = configFor(CONTEXTS);

/** The foundation's and the contexts' configuration, read from `env` and the .env files in `dir`; no plugin's keys. */
export function loadConfig(options: LoadOptions): LoadResult<AppConfig> {
  return loadConfigWith(appConfig, options);
}

/** Every migration of the foundation and its contexts (plugins' are added where they are enabled). */
export const appMigrations = schemaMigrations(CONTEXTS);

export interface ServiceOptions extends LoadOptions {
  /** The bounded contexts; the service's own unless a test says otherwise. */
  readonly contexts?: readonly ContextModule[];
  /** Where plugins are found; the repository's plugins/ and installed packages unless a test says otherwise. */
  readonly pluginSources?: PluginSources;
}

/** A service ready to build: what it is made of, its whole definition and its configuration. */
export interface LoadedService {
  readonly ok: true;
  readonly contexts: readonly ContextModule[];
  /** The enabled plugins, in start order. */
  readonly plugins: readonly PluginManifest[];
  /** The foundation's keys, the contexts' and the enabled plugins'. */
  readonly definition: ConfigDefinition<CoreSettings>;
  readonly config: AppConfig;
  /** Reads every layer again with the same definition (SIGHUP): plugins change only on restart. */
  readonly reread: () => LoadResult<AppConfig>;
}

/**
 * Loads the service in two steps, because the enabled plugins decide which keys exist: PLUGINS__ENABLED
 * first (with the foundation's rules for it), then the plugins it names (found, checked, ordered: a
 * refusal names the plugin), then the whole configuration with their sections — so a plugin's keys are
 * validated and reloaded like any other, and are never reported unknown while it is enabled.
 */
export async function loadService(
  options: ServiceOptions,
): Promise<LoadedService | { readonly ok: false; readonly issues: readonly ConfigIssue[] }> {
  const contexts = options.contexts ?? CONTEXTS;
  const plugins = await loadPlugins(enabledPlugins(options), contexts, options.pluginSources);
  const definition = configFor([...contexts, ...plugins]);
  const reread = () => loadConfigWith(definition, options);
  const loaded = reread();
  if (!loaded.ok) return loaded;
  return { ok: true, contexts, plugins, definition, config: loaded.config, reread };
}
