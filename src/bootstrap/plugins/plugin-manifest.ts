import type { Middleware } from "koa";
import type { AppState } from "../../adapters/http/app-state.js";
import type { HttpStage } from "../../adapters/http/http-stages.js";
import type { BindingSite, ContextModule } from "../context/context-module.js";

/** A middleware a plugin runs at a named stage of the HTTP pipeline, made once the container is built. */
export interface PluginMiddleware {
  readonly stage: HttpStage;
  readonly create: (site: BindingSite) => Middleware<AppState>;
}

/** A lifecycle hook; `site.role` says which process runs it (serve or worker). */
export type PluginHook = (site: BindingSite) => Promise<void> | void;

/**
 * What a plugin exports (its module's default export): a name, a version and the keel plugin API it
 * was written against, the plugins it needs, and the same contributions as a bounded context (routes,
 * handlers, subscribers, migrations, permissions, a config section, health checks, through
 * ContextModule) plus middleware at named HTTP stages and lifecycle hooks.
 *
 * Hooks run in `keel serve` and `keel worker` (not in one-shot commands), in dependency order once the
 * foundation's components (database, bus) have started: every plugin's `init`, then every plugin's
 * `start`; `stop` in reverse order on shutdown, or when a later component fails to start.
 */
export interface PluginManifest extends ContextModule {
  /** How PLUGINS__ENABLED names it: its folder under plugins/, or its package's name. */
  readonly name: string;
  /** The plugin's own version (semver), for logs and support. */
  readonly version: string;
  /** The keel plugin API it was written against, `major.minor` (see plugin-api.ts). */
  readonly keelApi: string;
  /** Plugins that must be enabled too, and start before it. */
  readonly dependsOn?: readonly string[];
  readonly middleware?: readonly PluginMiddleware[];
  /** Prepares (checks its tables, fills a cache) before any plugin starts. */
  readonly init?: PluginHook;
  /** Begins its work (timers, connections of its own). */
  readonly start?: PluginHook;
  /** Ends it; runs only if `start` succeeded. */
  readonly stop?: PluginHook;
}

/** Names a plugin manifest; the identity function, there for the type checker and for readers. */
export function definePlugin(manifest: PluginManifest): PluginManifest {
  return manifest;
}

/** Plugins declare the API they were written against; contexts are part of the service and need not. */
export function isPlugin(module: ContextModule): module is PluginManifest {
  return "keelApi" in module;
}
