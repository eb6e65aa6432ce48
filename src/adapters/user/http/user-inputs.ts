import * as t from "io-ts";
import { DEFAULT_USER_PAGE_SIZE, MAX_USER_PAGE_SIZE } from "../../../application/user/list-users.js";
import type { UserCriteria, UserSortField } from "../../../ports/user/user-read-model.js";
import {
  integerFromString,
  isoDateTime,
  oneOf,
  optional,
  strictObject,
  strictQuery,
  text,
  uuid,
} from "../../http/codecs.js";

/** Inputs shared by every API version of the user routes. */

export const UserParams = t.type({ id: uuid });
export const ApiKeyParams = t.type({ id: uuid, keyId: uuid });

export const emailInput = text(3, 254, "e-mail address");
/** Length rules live in the domain policy; this bound only keeps absurd bodies out. */
export const passwordInput = text(1, 1024, "password");
export const personName = text(1, 200);

export const PasswordChangeBody = strictObject({
  current_password: passwordInput,
  new_password: passwordInput,
});

export const RolesBody = strictObject({ roles: t.array(text(1, 64)) });

export const ApiKeyBody = strictObject({
  name: text(1, 200),
  permissions: t.array(text(1, 64)),
  expires_at: optional(isoDateTime),
});

/**
 * Where each value an account write sends arrives in the request, by the name the domain or the
 * application refuses it under; the person's name differs per version and is added by each.
 */
export const USER_BODY_FIELDS = {
  email: "body.email",
  password: "body.password",
  currentPassword: "body.current_password",
  newPassword: "body.new_password",
  roles: "body.roles",
} as const;

export const API_KEY_BODY_FIELDS = {
  name: "body.name",
  permissions: "body.permissions",
  expiresAt: "body.expires_at",
} as const;

const SORT_FIELDS = {
  email: "email",
  family_name: "familyName",
  created_at: "createdAt",
} as const satisfies Record<string, UserSortField>;

export const UserListQuery = strictQuery({
  page: optional(integerFromString(1, 1_000_000)),
  page_size: optional(integerFromString(1, MAX_USER_PAGE_SIZE)),
  email: optional(text(1, 254)),
  role: optional(text(1, 64)),
  active: optional(oneOf(["true", "false"])),
  sort: optional(oneOf(["email", "family_name", "created_at"])),
  order: optional(oneOf(["asc", "desc"])),
});

export function toUserCriteria(query: t.TypeOf<typeof UserListQuery>): UserCriteria {
  return {
    ...(query.email === undefined ? {} : { emailContains: query.email }),
    ...(query.role === undefined ? {} : { role: query.role }),
    ...(query.active === undefined ? {} : { active: query.active === "true" }),
    sort: { field: SORT_FIELDS[query.sort ?? "created_at"], direction: query.order ?? "asc" },
    page: query.page ?? 1,
    pageSize: query.page_size ?? DEFAULT_USER_PAGE_SIZE,
  };
}
