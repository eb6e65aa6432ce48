import * as t from "io-ts";
import type { UserProfile } from "../../../application/user/user-profile.js";
import { isoDateTime, object } from "../../http/codecs.js";
import { personName } from "./user-inputs.js";
import { userRoutes } from "./user-routes.js";

/** v1: flat name fields and role names. */
export const UserV1 = object(
  {
    id: t.string,
    email: t.string,
    given_name: t.string,
    family_name: t.string,
    roles: t.array(t.string),
    active: t.boolean,
    version: t.number,
    created_at: isoDateTime,
    updated_at: isoDateTime,
  },
  "UserV1",
);

export const v1UserRoutes = userRoutes({
  nameProps: { given_name: personName, family_name: personName },
  nameFields: { givenName: "body.given_name", familyName: "body.family_name" },
  readName: (body) => ({ givenName: body.given_name, familyName: body.family_name }),
  user: UserV1,
  present: (p: UserProfile): t.TypeOf<typeof UserV1> => ({
    id: p.id,
    email: p.email,
    given_name: p.givenName,
    family_name: p.familyName,
    roles: [...p.roles],
    active: p.active,
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  }),
});
