import type { Selectable } from "kysely";
import type { UserState } from "../../../domain/user/user-state.js";
import type { UserView } from "../../../ports/user/user-read-model.js";
import type { UsersTable } from "./user-tables.js";

type UserRow = Selectable<UsersTable>;

export function userState(row: UserRow): UserState {
  return {
    id: row.id,
    email: row.email,
    givenName: row.given_name,
    familyName: row.family_name,
    roles: row.roles,
    active: row.active,
    passwordChangedAt: row.password_changed_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function userView(row: UserRow): UserView {
  const { passwordChangedAt: _, ...view } = userState(row);
  return { ...view, version: row.version };
}
