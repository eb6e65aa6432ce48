import { InvalidValue } from "../../domain/shared/domain-error.js";
import { roleNames } from "../../domain/user/role-names.js";
import type { RolePolicy } from "../auth/auth-settings.js";

/**
 * The roles an account is given, as the domain normalises them, refused unless the live role
 * configuration defines each one. An undefined role grants nothing today, and whatever someone
 * later defines under that name tomorrow: a typo that turns into access. HTTP and the CLI both
 * reach this through the command handlers, so they refuse alike.
 */
export function definedRoles(roles: readonly string[], policy: RolePolicy): string[] {
  const names = roleNames(roles);
  const defined = policy.get();
  const undefinedRoles = names.filter((role) => !Object.hasOwn(defined, role));
  if (undefinedRoles.length > 0) {
    throw new InvalidValue(
      "roles",
      `roles must be defined roles; ${undefinedRoles.join(", ")} ${
        undefinedRoles.length === 1 ? "is" : "are"
      } not (defined: ${Object.keys(defined).sort().join(", ") || "none"})`,
    );
  }
  return names;
}
