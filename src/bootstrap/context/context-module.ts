import type { Container } from "inversify";
import type { Migration } from "kysely";
import type { RouteDefinition } from "../../adapters/http/route.js";
import type { ConfigOf, Section } from "../config/define-config.js";
import type { AppConfig } from "../config/definition.js";
import type { Role } from "../modules/module.js";

/** What a context's binding functions get: the container to bind into, the config, the process role. */
export interface BindingSite {
  readonly container: Container;
  readonly config: AppConfig;
  readonly role: Role;
}

/** A permission a context declares: what it allows, and the roles that hold it unless config says otherwise. */
export interface PermissionGrant {
  readonly description: string;
  readonly grantedTo: readonly string[];
}

/**
 * A context's own configuration: the keys under `<KEY>__` (`products` → `PRODUCTS__LOW_STOCK_THRESHOLD`),
 * validated, documented and reloaded like every other key. `of(config)` reads them typed.
 */
export interface ContextSettings<S extends Section = Section> {
  readonly key: string;
  readonly section: S;
  of(config: AppConfig): ConfigOf<S>;
}

export function contextSettings<S extends Section>(key: string, section: S): ContextSettings<S> {
  return {
    key,
    section,
    // The composed definition puts the section's values at `key`; AppConfig's static type is the core's.
    of: (config) => (config as unknown as Readonly<Record<string, ConfigOf<S>>>)[key] as ConfigOf<S>,
  };
}

/**
 * Everything a bounded context brings, as one value the application lists once (src/bootstrap/contexts.ts).
 * Nothing outside the context's own folders names its handlers, adapters, tables, permissions or keys:
 * the composition root binds them, the migrator runs them, the config loader validates and documents
 * them, and the OpenAPI document and the authorization matrix read them from here. Plugins bring the
 * same contributions (and lifecycle hooks of their own).
 */
export interface ContextModule {
  /** Kebab-case; names the context in errors and in the migrations it owns. */
  readonly name: string;
  readonly settings?: ContextSettings;
  /** The permissions its handlers require, by name (`<context>:<action>`). */
  readonly permissions?: Readonly<Record<string, PermissionGrant>>;
  /** Its schema changes, by name; names sort by time (`2026-11-30T0900-invoices`) across all contexts. */
  readonly migrations?: Readonly<Record<string, Migration>>;
  /**
   * Its ports' adapters per persistence driver: `memory` (tests, quick starts) and `sql` (PostgreSQL
   * and PGlite alike; Tokens.TransactionScope and Tokens.ReadDatabase are bound by then).
   */
  readonly adapters?: {
    readonly memory: (site: BindingSite) => void;
    readonly sql: (site: BindingSite) => void;
  };
  /** Its command, query and event handlers, health checks and anything else it binds. */
  readonly bind?: (site: BindingSite) => void;
  /** Its routes, per API version (`v1`, `v2`). */
  readonly routes?: Readonly<Record<string, readonly RouteDefinition[]>>;
}

/** Names a context module; the identity function, there for the type checker and for readers. */
export function defineContext(context: ContextModule): ContextModule {
  return context;
}
