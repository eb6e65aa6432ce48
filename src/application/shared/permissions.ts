import { token } from "../../ports/token.js";

/**
 * A permission is a name a context declares (`product:write`) with the roles that get it by default;
 * handlers require them, roles map to them in config (AUTH__ROLE_PERMISSIONS) and API keys carry a
 * subset of their creator's. No list of them lives here: the composition root collects every
 * context's into the catalog below.
 */
export type Permission = string;

/** Every permission the running service knows, collected from its contexts and plugins. */
export interface PermissionCatalog {
  readonly all: readonly Permission[];
  has(name: string): boolean;
}

export const Permissions = token<PermissionCatalog>("keel.Permissions");

export function permissionCatalog(names: readonly Permission[]): PermissionCatalog {
  const known = new Set(names);
  return { all: [...known], has: (name) => known.has(name) };
}

/** Role name to the permissions it grants. */
export type RolePermissions = Readonly<Record<string, readonly Permission[]>>;

/** The union of what the given roles grant; unknown roles grant nothing. */
export function permissionsOf(roles: readonly string[], map: RolePermissions): Set<string> {
  const granted = new Set<string>();
  for (const role of roles) for (const permission of map[role] ?? []) granted.add(permission);
  return granted;
}
