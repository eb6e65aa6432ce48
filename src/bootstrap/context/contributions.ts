import type { VersionedRoutes } from "../modules/http-module.js";
import { isPlugin } from "../plugins/plugin-manifest.js";
import type { ContextModule } from "./context-module.js";

/**
 * What the composition root reads off the contexts (and plugins) it is given, each collected once and
 * checked for two claiming the same name: a clash stops start-up with both names in the message.
 */

export class ContributionConflict extends Error {
  constructor(what: string, name: string, first: string, second: string) {
    super(`${what} ${name} is claimed by both ${first} and ${second}`);
    this.name = "ContributionConflict";
  }
}

/** How a conflict names a contributor: a context by its name, a plugin as `plugin <name>`. */
export function ownerName(module: ContextModule): string {
  return isPlugin(module) ? `plugin ${module.name}` : module.name;
}

/**
 * Every `[name, value, owner]` of one kind of contribution, refusing a name claimed twice, or one of
 * the names the foundation keeps for itself (`reserved`).
 */
function claimed<T>(
  what: string,
  contexts: readonly ContextModule[],
  entries: (context: ContextModule) => Readonly<Record<string, T>> | undefined,
  reserved: readonly string[] = [],
): Map<string, { readonly value: T; readonly owner: string }> {
  const found = new Map<string, { readonly value: T; readonly owner: string }>();
  for (const context of contexts) {
    const owner = ownerName(context);
    for (const [name, value] of Object.entries(entries(context) ?? {})) {
      if (reserved.includes(name)) throw new ContributionConflict(what, name, "the foundation", owner);
      const earlier = found.get(name);
      if (earlier !== undefined) throw new ContributionConflict(what, name, earlier.owner, owner);
      found.set(name, { value, owner });
    }
  }
  return found;
}

/** The contexts themselves, refusing two of one name. */
export function distinct(contexts: readonly ContextModule[]): readonly ContextModule[] {
  claimed("the name", contexts, (context) => ({ [context.name]: true }));
  return contexts;
}

/** Every permission with the context (or plugin) that declares it, in the order they are listed. */
export function permissionList(contexts: readonly ContextModule[]): {
  readonly name: string;
  readonly declaredBy: string;
  readonly description: string;
  readonly grantedTo: readonly string[];
}[] {
  return [...claimed("the permission", contexts, (context) => context.permissions)].map(
    ([name, { value, owner }]) => ({ name, declaredBy: owner, ...value }),
  );
}

/**
 * Every permission the contexts declare, and the role map their default grants make, in the order the
 * contexts are listed: `admin=product:write user:read:any; catalog-manager=product:write`.
 */
export function permissionDefaults(contexts: readonly ContextModule[]): {
  readonly names: readonly string[];
  readonly roleMap: string;
} {
  const permissions = claimed("the permission", contexts, (context) => context.permissions);
  const roles = new Map<string, string[]>();
  for (const [name, { value }] of permissions)
    for (const role of value.grantedTo) roles.set(role, [...(roles.get(role) ?? []), name]);
  return {
    names: [...permissions.keys()],
    roleMap: [...roles].map(([role, names]) => `${role}=${names.join(" ")}`).join("; "),
  };
}

/** Each context's config section by its key; `foundation` lists the keys of the foundation's own. */
export function settingsSections(contexts: readonly ContextModule[], foundation: readonly string[] = []) {
  const sections = claimed(
    "the config section",
    contexts,
    (context) =>
      context.settings === undefined ? undefined : { [context.settings.key]: context.settings.section },
    foundation,
  );
  return Object.fromEntries([...sections].map(([key, { value }]) => [key, value]));
}

/** Every context's migrations by name. */
export function migrationsOf(contexts: readonly ContextModule[]) {
  const migrations = claimed("the migration", contexts, (context) => context.migrations);
  return Object.fromEntries([...migrations].map(([name, { value }]) => [name, value]));
}

/** Every context's routes, per version, refusing two routes on one method and path. */
export function routesOf(contexts: readonly ContextModule[]): VersionedRoutes[] {
  claimed("the route", contexts, (context) =>
    Object.fromEntries(
      Object.entries(context.routes ?? {}).flatMap(([version, routes]) =>
        routes.map((route) => [`${route.method} /api/${version}${route.path}`, true]),
      ),
    ),
  );
  return contexts.flatMap((context) =>
    Object.entries(context.routes ?? {}).map(([version, routes]) => ({ version, routes })),
  );
}
