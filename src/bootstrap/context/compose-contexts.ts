import type { MigrationSources } from "../../adapters/persistence/kysely/migrations.js";
import { foundationMigrations } from "../../adapters/persistence/migrations/index.js";
import { Permissions, permissionCatalog } from "../../application/shared/permissions.js";
import type { ConfigDefinition } from "../config/define-config.js";
import type { CoreSettings } from "../config/definition.js";
import { type AppConfig, coreSettings, defineAppConfig } from "../config/definition.js";
import type { Module, Role } from "../modules/module.js";
import { Tokens } from "../tokens.js";
import type { ContextModule } from "./context-module.js";
import { distinct, migrationsOf, permissionDefaults, routesOf, settingsSections } from "./contributions.js";

/**
 * The configuration definition of a service made of these contexts (and plugins): the foundation's
 * keys and theirs. A section whose key the foundation or another context already uses is refused.
 */
export function configFor(contexts: readonly ContextModule[]): ConfigDefinition<CoreSettings> {
  const permissions = permissionDefaults(distinct(contexts));
  return defineAppConfig(permissions, settingsSections(contexts, Object.keys(coreSettings(permissions))));
}

/**
 * Checks every contribution of these contexts and plugins for a name two of them claim — their own
 * names, permissions, config sections, migrations, routes — so a clash stops start-up before
 * anything is built or started, with both claimants in the message (ContributionConflict).
 */
export function checkContributions(contexts: readonly ContextModule[]): void {
  configFor(contexts);
  schemaMigrations(contexts);
  routesOf(contexts);
}

/** The foundation's migrations and the contexts', by name. */
export function schemaMigrations(contexts: readonly ContextModule[]): MigrationSources {
  return migrationsOf([{ name: "the foundation", migrations: foundationMigrations }, ...distinct(contexts)]);
}

/**
 * Binds the contexts: their adapters for the configured driver, their handlers and the rest, their
 * routes, and what the foundation collects from them (the permission catalog, the migrations).
 */
export function contextsModule(contexts: readonly ContextModule[]): Module {
  return (container, config: AppConfig, role: Role) => {
    const site = { container, config, role };
    container
      .bind(Permissions)
      .toConstantValue(permissionCatalog(permissionDefaults(distinct(contexts)).names));
    container.bind(Tokens.MigrationSources).toConstantValue(schemaMigrations(contexts));
    for (const context of contexts) {
      context.adapters?.[config.persistence.driver === "memory" ? "memory" : "sql"](site);
      context.bind?.(site);
    }
    for (const routes of routesOf(contexts)) container.bind(Tokens.ApiRoutes).toConstantValue(routes);
  };
}
