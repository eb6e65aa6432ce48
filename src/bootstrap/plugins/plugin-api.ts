/**
 * The version of what keel offers plugins — the PluginManifest and ContextModule shapes, BindingSite,
 * the tokens a plugin binds (Tokens.CommandBehaviours, EventHandlers, HealthCheck...), the HTTP stages
 * and the route definition — as `major.minor`. A change that adds to it raises the minor; one that
 * changes or removes anything raises the major.
 */
export const KEEL_PLUGIN_API = "1.0";

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/**
 * Why keel, at plugin API `offered`, cannot run a plugin written against `wanted`, or undefined when
 * it can: the majors must be equal (a major changes the API) and keel's minor at least the plugin's
 * (the plugin may use what that minor added).
 */
export function apiIncompatibility(wanted: string, offered: string = KEEL_PLUGIN_API): string | undefined {
  const plugin = VERSION.exec(wanted);
  const keel = VERSION.exec(offered);
  if (plugin === null) return `declares keel plugin API "${wanted}", which is not major.minor (e.g. "1.0")`;
  if (keel === null) throw new Error(`keel's own plugin API version "${offered}" is not major.minor`);
  const [, major, minor] = plugin.map(Number);
  const [, keelMajor, keelMinor] = keel.map(Number);
  if (major === keelMajor && (minor ?? 0) <= (keelMinor ?? 0)) return undefined;
  return `needs keel plugin API ${wanted}, and this keel offers ${offered}: it runs plugins written for ${keelMajor}.0 to ${offered}`;
}
