/**
 * A standard OAuth2 client library (simple-oauth2, unchanged, over real HTTP) against a running keel:
 * the token endpoint must speak plain RFC 6749/7009, not just what keel's own helpers send. keel's
 * clients are public, so the library's client credentials (a Basic header by default, or body fields)
 * are sent and ignored.
 */
import { type AccessToken, ResourceOwnerPassword } from "simple-oauth2";
import * as assert from "uvu/assert";
import { ADMIN, bearer, tokenRequest } from "../../support/auth.js";
import { call, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

const library = suite<{ server: TestServer }>("OAuth2 client library (simple-oauth2)");

library.before(async (context) => {
  context.server = await startTestServer();
});
library.after(async ({ server }) => {
  await server.stop();
});

function client(server: TestServer, authorizationMethod: "header" | "body" = "header") {
  return new ResourceOwnerPassword({
    // A public client: an id and no secret.
    client: { id: "keel-test", secret: "" },
    auth: { tokenHost: server.url, tokenPath: "/api/v1/auth/token", revokePath: "/api/v1/auth/revoke" },
    options: { authorizationMethod },
  });
}

function signIn(server: TestServer, authorizationMethod?: "header" | "body"): Promise<AccessToken> {
  return client(server, authorizationMethod).getToken({ username: ADMIN.email, password: ADMIN.password });
}

function field(token: AccessToken, name: "access_token" | "refresh_token"): string {
  const value = token.token[name];
  if (typeof value !== "string" || value === "") throw new Error(`the token has no ${name}`);
  return value;
}

async function me(server: TestServer, token: AccessToken) {
  return call(`${server.url}/api/v1/users/me`, { headers: bearer(field(token, "access_token")) });
}

/** What the library throws for an error response: a Boom error carrying the status and parsed body. */
async function oauthFailure(action: () => Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await action();
  } catch (error) {
    const boom = error as { output?: { statusCode?: unknown }; data?: { payload?: unknown } };
    const status = boom.output?.statusCode;
    if (typeof status !== "number") throw error;
    return { status, body: boom.data?.payload };
  }
  throw new Error("expected the library to reject, it resolved");
}

library(
  "given the admin's credentials, when the library requests a password grant, then its access token signs requests in",
  async ({ server }) => {
    const token = await signIn(server);
    assert.is(token.token.token_type, "bearer");
    assert.type(token.token.expires_in, "number");
    assert.type(token.token.refresh_token, "string");
    // The library turns expires_in into an absolute expiry.
    assert.ok(token.token.expires_at instanceof Date);
    assert.not.ok(token.expired());

    const res = await me(server, token);
    assert.is(res.status, 200, JSON.stringify(res.body));
    assert.is(res.body.data.email, ADMIN.email);
  },
);

library(
  "given client credentials sent in the body rather than a Basic header, when signing in, then keel ignores them too",
  async ({ server }) => {
    const token = await signIn(server, "body");
    const res = await me(server, token);
    assert.is(res.status, 200, JSON.stringify(res.body));
    assert.is(res.body.data.email, ADMIN.email);
  },
);

library(
  "given a token, when the library refreshes it, then the new access token works, differs, and the old refresh token is refused as reused",
  async ({ server }) => {
    const first = await signIn(server);
    const refreshed = await first.refresh();

    assert.is.not(field(refreshed, "access_token"), field(first, "access_token"));
    assert.is.not(field(refreshed, "refresh_token"), field(first, "refresh_token"));
    const res = await me(server, refreshed);
    assert.is(res.status, 200, JSON.stringify(res.body));
    assert.is(res.body.data.email, ADMIN.email);

    // Rotation: presenting the spent refresh token again is reuse.
    const reused = await oauthFailure(() => first.refresh());
    assert.is(reused.status, 400);
    assert.is((reused.body as { error?: unknown }).error, "invalid_grant");
  },
);

library(
  "given a wrong password, when the library requests a token, then it rejects with the OAuth2 invalid_grant body",
  async ({ server }) => {
    const refused = await oauthFailure(() =>
      client(server).getToken({ username: ADMIN.email, password: "not the admin's password" }),
    );
    assert.is(refused.status, 400);
    const body = refused.body as { error?: unknown; error_description?: unknown };
    assert.is(body.error, "invalid_grant");
    assert.type(body.error_description, "string");
  },
);

library(
  "given a token, when the library revokes its refresh token, then that refresh token no longer refreshes",
  async ({ server }) => {
    const token = await signIn(server);
    await token.revoke("refresh_token");

    const refused = await oauthFailure(() => token.refresh());
    assert.is(refused.status, 400);
    assert.is((refused.body as { error?: unknown }).error, "invalid_grant");
    // The same answer over plain HTTP, so it is the server refusing, not the library.
    const direct = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: field(token, "refresh_token"),
    });
    assert.is(direct.status, 400);
    assert.is(direct.body.error, "invalid_grant");
  },
);

library.run();
