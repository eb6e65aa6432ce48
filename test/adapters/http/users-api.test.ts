import * as assert from "uvu/assert";
import { asAdmin, bearer, registerAndSignIn, signIn } from "../../support/auth.js";
import { call, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

const api = suite<{ server: TestServer }>("users API");

api.before(async (context) => {
  context.server = await startTestServer();
});
api.after(async ({ server }) => {
  await server.stop();
});

const PASSWORD = "a long enough passphrase";

api(
  "when someone registers, then 201, and v1 and v2 show the account each in its own shape",
  async ({ server }) => {
    const res = await call(`${server.url}/api/v2/users`, {
      method: "POST",
      json: { email: " Ada@Example.com ", password: PASSWORD, name: { given: "Ada", family: "Lovelace" } },
    });
    assert.is(res.status, 201, JSON.stringify(res.body));
    const tokens = await signIn(server.url, "ada@example.com", PASSWORD);

    const v1 = await call(`${server.url}/api/v1/users/me`, { headers: bearer(tokens.accessToken) });
    assert.is(v1.status, 200);
    assert.equal(
      { ...v1.body.data, created_at: undefined, updated_at: undefined },
      {
        id: res.body.data.id,
        email: "ada@example.com",
        given_name: "Ada",
        family_name: "Lovelace",
        roles: [],
        active: true,
        version: 1,
        created_at: undefined,
        updated_at: undefined,
      },
    );
    const v2 = await call(`${server.url}/api/v2/users/me`, { headers: bearer(tokens.accessToken) });
    assert.equal(v2.body.data.name, { given: "Ada", family: "Lovelace" });
    assert.equal([v2.body.data.status, v2.body.data.permissions], ["active", []]);
    assert.not.match(JSON.stringify([v1.body, v2.body]), /argon2|password/i);
  },
);

api(
  "given an address in use, when it registers again in other case, then 409 EMAIL_ALREADY_REGISTERED",
  async ({ server }) => {
    await registerAndSignIn(server.url, "taken@example.com");
    const again = await call(`${server.url}/api/v1/users`, {
      method: "POST",
      json: { email: "TAKEN@example.com", password: PASSWORD, given_name: "B", family_name: "C" },
    });
    assert.is(again.status, 409);
    assert.is(again.body.code, "EMAIL_ALREADY_REGISTERED");
  },
);

api(
  "when a registration breaks the password policy or sends unknown fields, then 422 or 400 naming the field",
  async ({ server }) => {
    const short = await call(`${server.url}/api/v1/users`, {
      method: "POST",
      json: { email: "short@example.com", password: "short", given_name: "S", family_name: "P" },
    });
    assert.is(short.status, 422);
    assert.equal(short.body.errors, [
      { path: "body.password", message: "password must be at least 12 characters long" },
    ]);
    const sameAsEmail = await call(`${server.url}/api/v1/users`, {
      method: "POST",
      json: {
        email: "same.as.mail@example.com",
        password: "same.as.mail@example.com",
        given_name: "S",
        family_name: "P",
      },
    });
    assert.is(sameAsEmail.status, 422);
    const extra = await call(`${server.url}/api/v1/users`, {
      method: "POST",
      json: {
        email: "x@example.com",
        password: PASSWORD,
        given_name: "X",
        family_name: "Y",
        roles: ["admin"],
      },
    });
    assert.is(extra.status, 400);
    assert.equal(extra.body.errors, [{ path: "body.roles", message: "is not an accepted field" }]);
    const login = await call(`${server.url}/api/v1/users`, {
      method: "POST",
      json: { email: "not-an-address", password: PASSWORD, given_name: "X", family_name: "Y" },
    });
    assert.is(login.status, 422);
    assert.is(login.body.errors[0].path, "body.email");
  },
);

api(
  "given the minimum length is raised live, then a password that was long enough is refused",
  async ({ server }) => {
    server.env.AUTH__PASSWORD_MIN_LENGTH = "30";
    server.store.reload();
    try {
      const res = await call(`${server.url}/api/v1/users`, {
        method: "POST",
        json: { email: "live.policy@example.com", password: PASSWORD, given_name: "L", family_name: "P" },
      });
      assert.is(res.status, 422);
    } finally {
      delete server.env.AUTH__PASSWORD_MIN_LENGTH;
      server.store.reload();
    }
  },
);

api("a user updates their own profile; another user may not; an admin may", async ({ server }) => {
  const ann = await registerAndSignIn(server.url, "ann.profile@example.com");
  const bob = await registerAndSignIn(server.url, "bob.profile@example.com");
  const own = await call(`${server.url}/api/v1/users/${ann.userId}/profile`, {
    method: "PUT",
    headers: bearer(ann.accessToken),
    json: { given_name: "Ann", family_name: "Smith" },
  });
  assert.equal([own.status, own.body.data.version], [200, 2]);
  const other = await call(`${server.url}/api/v1/users/${ann.userId}/profile`, {
    method: "PUT",
    headers: bearer(bob.accessToken),
    json: { given_name: "Mallory", family_name: "X" },
  });
  assert.equal([other.status, other.body.code], [403, "FORBIDDEN"]);
  const byAdmin = await call(`${server.url}/api/v2/users/${ann.userId}/profile`, {
    method: "PUT",
    headers: await asAdmin(server.url),
    json: { name: { given: "Ann", family: "Jones" } },
  });
  assert.is(byAdmin.status, 200);
  const profile = await call(`${server.url}/api/v1/users/${ann.userId}`, {
    headers: bearer(ann.accessToken),
  });
  assert.equal([profile.body.data.given_name, profile.body.data.family_name], ["Ann", "Jones"]);
});

api(
  "an admin lists accounts filtered by e-mail, role and status, sorted and paged; others get 403",
  async ({ server }) => {
    const admin = await asAdmin(server.url);
    for (const name of ["list.c", "list.a", "list.b"])
      await registerAndSignIn(server.url, `${name}@example.org`);
    const page = await call(`${server.url}/api/v1/users?email=list.&sort=email&order=desc&page_size=2`, {
      headers: admin,
    });
    assert.is(page.status, 200);
    assert.equal(
      page.body.data.items.map((u: { email: string }) => u.email),
      ["list.c@example.org", "list.b@example.org"],
    );
    assert.equal([page.body.data.total, page.body.data.page, page.body.data.page_size], [3, 1, 2]);
    const admins = await call(`${server.url}/api/v1/users?role=admin`, { headers: admin });
    assert.equal(
      admins.body.data.items.map((u: { email: string }) => u.email),
      ["admin@keel.local"],
    );
    const user = await registerAndSignIn(server.url, "list.nosy@example.org");
    const refused = await call(`${server.url}/api/v1/users`, { headers: bearer(user.accessToken) });
    assert.is(refused.status, 403);
    const bad = await call(`${server.url}/api/v1/users?active=maybe&sort=password`, { headers: admin });
    assert.is(bad.status, 400);
  },
);

api(
  "given roles assigned by an admin, then the user's next token carries their permissions",
  async ({ server }) => {
    const cat = await registerAndSignIn(server.url, "catalog@example.com");
    const product = { name: "Stool", sku: "ST-1", price: 500, currency: "EUR", stock: 1 };
    const before = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers: bearer(cat.accessToken),
      json: product,
    });
    assert.is(before.status, 403);
    const assigned = await call(`${server.url}/api/v1/users/${cat.userId}/roles`, {
      method: "PUT",
      headers: await asAdmin(server.url),
      json: { roles: ["catalog-manager"] },
    });
    assert.is(assigned.status, 200);
    const selfPromotion = await call(`${server.url}/api/v1/users/${cat.userId}/roles`, {
      method: "PUT",
      headers: bearer(cat.accessToken),
      json: { roles: ["admin"] },
    });
    assert.is(selfPromotion.status, 403);
    const again = await signIn(server.url, "catalog@example.com", PASSWORD);
    const after = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers: bearer(again.accessToken),
      json: product,
    });
    assert.is(after.status, 201);
  },
);

api(
  "given a deactivated account, then it cannot sign in or refresh, and changes to it are refused",
  async ({ server }) => {
    const gone = await registerAndSignIn(server.url, "leaving@example.com");
    const admin = await asAdmin(server.url);
    const deactivated = await call(`${server.url}/api/v1/users/${gone.userId}/deactivation`, {
      method: "POST",
      headers: admin,
    });
    assert.is(deactivated.status, 200);
    const signInAgain = await call(`${server.url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        username: "leaving@example.com",
        password: PASSWORD,
      }).toString(),
    });
    assert.equal([signInAgain.status, signInAgain.body.error], [400, "invalid_grant"]);
    const refresh = await call(`${server.url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: gone.refreshToken }).toString(),
    });
    assert.equal([refresh.status, refresh.body.error], [400, "invalid_grant"]);
    const roles = await call(`${server.url}/api/v1/users/${gone.userId}/roles`, {
      method: "PUT",
      headers: admin,
      json: { roles: ["admin"] },
    });
    assert.equal([roles.status, roles.body.code], [409, "USER_DEACTIVATED"]);
    const v2 = await call(`${server.url}/api/v2/users/${gone.userId}`, { headers: admin });
    assert.is(v2.body.data.status, "deactivated");
  },
);

api(
  "a user changes their password with the current one; every refresh token ends; only they may",
  async ({ server }) => {
    const eve = await registerAndSignIn(server.url, "eve.password@example.com");
    const admin = await asAdmin(server.url);
    const byAdmin = await call(`${server.url}/api/v1/users/${eve.userId}/password`, {
      method: "PUT",
      headers: admin,
      json: { current_password: PASSWORD, new_password: "admin chose this one" },
    });
    assert.is(byAdmin.status, 403);
    const wrong = await call(`${server.url}/api/v1/users/${eve.userId}/password`, {
      method: "PUT",
      headers: bearer(eve.accessToken),
      json: { current_password: "not the password", new_password: "a brand new passphrase" },
    });
    assert.equal([wrong.status, wrong.body.errors?.[0]?.path], [422, "body.current_password"]);
    const changed = await call(`${server.url}/api/v1/users/${eve.userId}/password`, {
      method: "PUT",
      headers: bearer(eve.accessToken),
      json: { current_password: PASSWORD, new_password: "a brand new passphrase" },
    });
    assert.is(changed.status, 200);
    const form = (fields: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    const oldRefresh = await call(
      `${server.url}/api/v1/auth/token`,
      form({ grant_type: "refresh_token", refresh_token: eve.refreshToken }),
    );
    assert.equal([oldRefresh.status, oldRefresh.body.error], [400, "invalid_grant"]);
    const oldPassword = await call(
      `${server.url}/api/v1/auth/token`,
      form({ grant_type: "password", username: "eve.password@example.com", password: PASSWORD }),
    );
    assert.is(oldPassword.status, 400);
    await signIn(server.url, "eve.password@example.com", "a brand new passphrase");
  },
);

api.run();
