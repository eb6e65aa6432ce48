/**
 * Every permission keel knows. Roles map to these in config (AUTH__ROLE_PERMISSIONS), API keys carry a
 * subset of their creator's, and handlers require them. A new context adds its own here.
 */
export const PERMISSIONS = {
  /** Create products, rename them, change prices, adjust stock. */
  productWrite: "product:write",
  /** Read any account's profile and list accounts (otherwise only one's own). */
  userReadAny: "user:read:any",
  /** Change any account's profile (otherwise only one's own). */
  userWriteAny: "user:write:any",
  /** Assign roles and deactivate accounts. */
  userManage: "user:manage",
} as const;

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(PERMISSIONS);

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as readonly string[]).includes(value);
}

/** Role name to the permissions it grants. */
export type RolePermissions = Readonly<Record<string, readonly Permission[]>>;

/** The union of what the given roles grant; unknown roles grant nothing. */
export function permissionsOf(roles: readonly string[], map: RolePermissions): Set<string> {
  const granted = new Set<string>();
  for (const role of roles) for (const permission of map[role] ?? []) granted.add(permission);
  return granted;
}
