import { USER_MANAGE, USER_READ_ANY } from "../../../src/application/user/user-permissions.js";
import { type AccessRules, type Cell, expectOk, ownerOr, SELF, unique } from "../../support/access-rules.js";
import { bearer } from "../../support/auth.js";
import { call } from "../../support/test-server.js";
import { subject } from "../user/user.access.js";

/**
 * The auth context's routes in the authorization matrix: API keys are minted by the account itself,
 * signed in, and listed and revoked by it or a holder; the OAuth2 endpoints and the JWKS are mounted
 * outside the route table.
 */

/** A fresh API key of the subject, for one revocation. */
async function freshKeyOfSubject({ fixtures }: Cell): Promise<string> {
  const res = await call(`${fixtures.server.url}/api/v1/users/${fixtures.subject.id}/api-keys`, {
    method: "POST",
    headers: bearer(fixtures.subject.token),
    json: { name: unique("to-revoke"), permissions: [] },
  });
  return (await expectOk(res, "creating a key to revoke")).body.data.id;
}

export const access: AccessRules = {
  rules: {
    "POST /users/:id/api-keys": {
      access: SELF,
      sample: (cell) => ({ params: subject(cell), json: { name: unique("matrix key"), permissions: [] } }),
    },
    "GET /users/:id/api-keys": {
      access: ownerOr(USER_READ_ANY),
      sample: (cell) => ({ params: subject(cell) }),
    },
    "DELETE /users/:id/api-keys/:keyId": {
      access: ownerOr(USER_MANAGE),
      sample: async (cell) => ({ params: { ...subject(cell), keyId: await freshKeyOfSubject(cell) } }),
    },
    "POST /auth/token": {
      access: { kind: "credentialsIgnored" },
      sample: ({ fixtures }) => ({
        form: { grant_type: "password", username: fixtures.other.email, password: fixtures.other.password },
      }),
    },
    "POST /auth/revoke": {
      access: { kind: "credentialsIgnored" },
      sample: () => ({ form: { token: unique("not-a-refresh-token") } }),
    },
    // With HS256 there is no public key to publish; with EdDSA/RS256 this would be PUBLIC.
    "GET /.well-known/jwks.json": { access: { kind: "absent" }, sample: () => ({}) },
  },
};
