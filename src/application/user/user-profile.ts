import type { UserView } from "../../ports/user/user-read-model.js";
import type { RolePolicy } from "../auth/auth-settings.js";
import { permissionsOf } from "../shared/permissions.js";

/** An account as the API shows it: the stored view and what its roles allow today. */
export interface UserProfile extends UserView {
  readonly permissions: readonly string[];
}

export function profileOf(view: UserView, roles: RolePolicy): UserProfile {
  return { ...view, permissions: [...permissionsOf(view.roles, roles.get())].sort() };
}
