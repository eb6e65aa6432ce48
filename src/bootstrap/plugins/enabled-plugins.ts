import { appEnvSetting, defineConfig } from "../config/define-config.js";
import { type LoadOptions, loadConfigWith } from "../config/load-config.js";
import { pluginsSettings } from "../config/sections/plugins.js";

/**
 * PLUGINS__ENABLED decides which config sections exist (each plugin may bring one), so it is read
 * first, on its own, with the same layers and APP_ENV defaults as everything else; the whole
 * definition, the plugins' sections included, is then loaded once the plugins are known. A value it
 * refuses here counts as no plugins: the whole load reports it, with every other bad key.
 */
const enabledOnly = defineConfig({ appEnv: appEnvSetting, plugins: pluginsSettings });

export function enabledPlugins(options: LoadOptions): readonly string[] {
  const loaded = loadConfigWith(enabledOnly, options);
  return loaded.ok ? loaded.config.plugins.enabled : [];
}
