import {
  USER_MANAGE,
  USER_READ_ANY,
  USER_WRITE_ANY,
} from "../../../src/application/user/user-permissions.js";
import {
  type AccessRules,
  type Cell,
  expectOk,
  ownAccountOr,
  ownerOr,
  PUBLIC,
  permission,
  SELF,
  unique,
  versioned,
} from "../../support/access-rules.js";
import { call } from "../../support/test-server.js";

/** The user context's routes in the authorization matrix. */

export const PASSWORD = "a long enough passphrase";

export const nameBody = (version: string | undefined) =>
  versioned(version, {
    v1: () => ({ given_name: "Ada", family_name: "Lovelace" }),
    v2: () => ({ name: { given: "Ada", family: "Lovelace" } }),
  });

/** A fresh account (self-registered), for one role assignment or deactivation. */
async function freshUser({ fixtures }: Cell): Promise<string> {
  const res = await call(`${fixtures.server.url}/api/v1/users`, {
    method: "POST",
    json: { email: `${unique("target")}@example.com`, password: PASSWORD, ...nameBody("v1") },
  });
  return (await expectOk(res, "registering a target user")).body.data.id;
}

export const subject = ({ fixtures }: Cell) => ({ id: fixtures.subject.id });

export const access: AccessRules = {
  rules: {
    "POST /users": {
      access: PUBLIC,
      sample: ({ version }) => ({
        json: { email: `${unique("signup")}@example.com`, password: PASSWORD, ...nameBody(version) },
      }),
    },
    "GET /users/me": { access: ownAccountOr(USER_READ_ANY), sample: () => ({}) },
    "GET /users": { access: permission(USER_READ_ANY), sample: () => ({}) },
    "GET /users/:id": { access: ownerOr(USER_READ_ANY), sample: (cell) => ({ params: subject(cell) }) },
    "PUT /users/:id/profile": {
      access: ownerOr(USER_WRITE_ANY),
      sample: (cell) => ({ params: subject(cell), json: nameBody(cell.version) }),
    },
    "PUT /users/:id/password": {
      access: SELF,
      sample: (cell) => {
        const account = cell.fixtures.subject;
        const next = `${PASSWORD} ${unique("v")}`;
        return {
          params: subject(cell),
          json: { current_password: account.password, new_password: next },
          succeeded: () => {
            account.password = next;
          },
        };
      },
    },
    "PUT /users/:id/roles": {
      access: permission(USER_MANAGE),
      sample: async (cell) => ({
        params: { id: await freshUser(cell) },
        json: { roles: ["catalog-manager"] },
      }),
    },
    "POST /users/:id/deactivation": {
      access: permission(USER_MANAGE),
      sample: async (cell) => ({ params: { id: await freshUser(cell) } }),
    },
  },
};
