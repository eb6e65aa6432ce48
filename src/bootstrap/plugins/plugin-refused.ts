/**
 * A plugin keel will not start with: not found, written for another plugin API, missing a plugin it
 * depends on, or in a dependency cycle. The message names the plugin; start-up stops with it
 * (exit 78, like any configuration keel cannot use).
 */
export class PluginRefused extends Error {
  constructor(
    readonly plugin: string,
    reason: string,
  ) {
    super(`plugin ${plugin} ${reason}`);
    this.name = "PluginRefused";
  }
}
