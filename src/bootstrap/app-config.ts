import type { AppConfig } from "./config/definition.js";
import { type LoadOptions, type LoadResult, loadConfigWith } from "./config/load-config.js";
import { configFor, schemaMigrations } from "./context/compose-contexts.js";
import { CONTEXTS } from "./contexts.js";

/** Every key of this service: the foundation's and its contexts'. */
export const appConfig = configFor(CONTEXTS);

/** This service's configuration, read from `env` and the .env files in `dir`. */
export function loadConfig(options: LoadOptions): LoadResult<AppConfig> {
  return loadConfigWith(appConfig, options);
}

/** Every migration of this service: the foundation's and its contexts'. */
export const appMigrations = schemaMigrations(CONTEXTS);
