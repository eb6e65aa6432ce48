import * as t from "io-ts";
import type { UserProfile } from "../../../application/user/user-profile.js";
import { isoDateTime, object, strictObject } from "../../http/codecs.js";
import { personName } from "./user-inputs.js";
import { userRoutes } from "./user-routes.js";

/**
 * v2 groups the name (`name: { given, family }`), states the status as a word rather than a flag,
 * and embeds the account's effective permissions next to its roles, so a client can show or hide
 * actions without knowing the server's role configuration.
 */
const NameV2 = object({ given: t.string, family: t.string }, "Name");

export const UserV2 = object(
  {
    id: t.string,
    email: t.string,
    name: NameV2,
    roles: t.array(t.string),
    permissions: t.array(t.string),
    status: t.keyof({ active: null, deactivated: null }),
    version: t.number,
    created_at: isoDateTime,
    updated_at: isoDateTime,
  },
  "UserV2",
);

export const v2UserRoutes = userRoutes({
  nameProps: { name: strictObject({ given: personName, family: personName }, "NameInput") },
  nameFields: { givenName: "body.name.given", familyName: "body.name.family" },
  readName: (body) => ({ givenName: body.name.given, familyName: body.name.family }),
  user: UserV2,
  present: (p: UserProfile): t.TypeOf<typeof UserV2> => ({
    id: p.id,
    email: p.email,
    name: { given: p.givenName, family: p.familyName },
    roles: [...p.roles],
    permissions: [...p.permissions],
    status: p.active ? "active" : "deactivated",
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  }),
});
