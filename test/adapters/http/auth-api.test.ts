import { generateKeyPairSync, randomBytes } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import * as assert from "uvu/assert";
import { ADMIN, asAdmin, bearer, registerAndSignIn, signIn, tokenRequest } from "../../support/auth.js";
import { redisDecision } from "../../support/redis.js";
import { serviceTest } from "../../support/services.js";
import { call, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite, test } from "../../support/uvu.js";

const PASSWORD = "a long enough passphrase";
const oauth = suite<{ server: TestServer }>("OAuth2 token endpoint");

oauth.before(async (context) => {
  context.server = await startTestServer();
});
oauth.after(async ({ server }) => {
  await server.stop();
});

oauth(
  "a password grant returns a bearer JWT with its claims, a refresh token and the scope, never cached",
  async ({ server }) => {
    const res = await tokenRequest(server.url, {
      grant_type: "password",
      username: ADMIN.email,
      password: ADMIN.password,
    });
    assert.is(res.status, 200);
    assert.equal(Object.keys(res.body).sort(), [
      "access_token",
      "expires_in",
      "refresh_token",
      "scope",
      "token_type",
    ]);
    assert.equal([res.body.token_type, res.body.expires_in], ["bearer", 900]);
    assert.is(res.body.scope, "order:manage product:write user:manage user:read:any user:write:any");
    assert.is(res.headers.get("cache-control"), "no-store");
    assert.equal(decodeProtectedHeader(res.body.access_token), { alg: "HS256", typ: "at+jwt" });
    const claims = decodeJwt(res.body.access_token);
    assert.equal([claims.iss, claims.aud, claims.roles], ["keel", "keel-api", ["admin"]]);
    assert.ok(typeof claims.sub === "string" && typeof claims.jti === "string");
    assert.is((claims.exp ?? 0) - (claims.iat ?? 0), 900);
    assert.match(res.body.refresh_token, /^[A-Za-z0-9_-]{43}$/, "opaque, 256 random bits");
  },
);

oauth("a wrong password and an unknown account get the same invalid_grant", async ({ server }) => {
  const wrong = await tokenRequest(server.url, {
    grant_type: "password",
    username: ADMIN.email,
    password: "not it at all",
  });
  const unknown = await tokenRequest(server.url, {
    grant_type: "password",
    username: "nobody@example.com",
    password: "whatever it is",
  });
  const notAnAddress = await tokenRequest(server.url, {
    grant_type: "password",
    username: "nobody",
    password: "whatever it is",
  });
  for (const res of [wrong, unknown, notAnAddress]) {
    assert.is(res.status, 400);
    assert.equal(res.body, {
      error: "invalid_grant",
      error_description: "the username or password is not correct",
    });
  }
});

oauth("malformed token requests get the OAuth2 error for what is wrong", async ({ server }) => {
  const url = `${server.url}/api/v1/auth/token`;
  const json = await call(url, {
    method: "POST",
    json: { grant_type: "password", username: "a", password: "b" },
  });
  assert.equal([json.status, json.body.error], [400, "invalid_request"]);
  const missing = await tokenRequest(server.url, { username: ADMIN.email, password: ADMIN.password });
  assert.equal(
    [missing.status, missing.body.error, missing.body.error_description],
    [400, "invalid_request", "grant_type is required"],
  );
  const noPassword = await tokenRequest(server.url, { grant_type: "password", username: ADMIN.email });
  assert.equal([noPassword.status, noPassword.body.error], [400, "invalid_request"]);
  const unsupported = await tokenRequest(server.url, { grant_type: "client_credentials" });
  assert.equal([unsupported.status, unsupported.body.error], [400, "unsupported_grant_type"]);
  const repeated = await call(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=password&grant_type=password&username=a&password=b",
  });
  assert.equal([repeated.status, repeated.body.error], [400, "invalid_request"]);
  for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
    const other = await call(url, { method });
    assert.equal(
      [other.status, other.headers.get("allow"), other.body.error],
      [405, "POST", "invalid_request"],
      `${method} answers in OAuth2's format`,
    );
  }
  const options = await call(url, { method: "OPTIONS" });
  assert.equal([options.status, options.headers.get("allow")], [204, "POST"]);
});

oauth(
  "an error never repeats what the client sent: a grant_type carrying credentials, a scope carrying a secret",
  async ({ server }) => {
    const smuggled = "password;username=admin@keel.local;password=hunter2-hunter2";
    const unsupported = await tokenRequest(server.url, { grant_type: smuggled });
    assert.equal([unsupported.status, unsupported.body.error], [400, "unsupported_grant_type"]);
    assert.not.match(JSON.stringify(unsupported.body), /hunter2|username=/);

    const secretScope = await tokenRequest(server.url, {
      grant_type: "password",
      username: ADMIN.email,
      password: ADMIN.password,
      scope: `product:write sk_live_${"x".repeat(500)}`,
    });
    assert.equal(
      [secretScope.status, secretScope.body.error, secretScope.body.error_description],
      [400, "invalid_scope", "the account does not hold 1 scope that names no permission"],
    );
  },
);

oauth(
  "a token asked for a narrower scope can do only that; a scope the account lacks is invalid_scope",
  async ({ server }) => {
    const narrow = await tokenRequest(server.url, {
      grant_type: "password",
      username: ADMIN.email,
      password: ADMIN.password,
      scope: "product:write",
    });
    assert.is(narrow.body.scope, "product:write");
    const headers = bearer(narrow.body.access_token);
    const write = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers,
      json: { name: "Scoped", sku: "SC-1", price: 1, currency: "EUR", stock: 1 },
    });
    assert.is(write.status, 201);
    const read = await call(`${server.url}/api/v1/users`, { headers });
    assert.is(read.status, 403);
    assert.is(
      read.headers.get("www-authenticate"),
      'Bearer realm="keel", error="insufficient_scope", scope="user:read:any"',
    );
    const user = await registerAndSignIn(server.url, "no.scope@example.com");
    const beyond = await tokenRequest(server.url, {
      grant_type: "password",
      username: "no.scope@example.com",
      password: PASSWORD,
      scope: "user:manage",
    });
    assert.equal([beyond.status, beyond.body.error], [400, "invalid_scope"]);
    assert.ok(user.accessToken);
  },
);

oauth(
  "a refresh rotates: the new pair works and differs, and a refresh may narrow the scope but never widen it",
  async ({ server }) => {
    const first = await tokenRequest(server.url, {
      grant_type: "password",
      username: ADMIN.email,
      password: ADMIN.password,
      scope: "product:write user:read:any",
    });
    const narrower = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: first.body.refresh_token,
      scope: "product:write",
    });
    assert.is(narrower.status, 200);
    assert.is(narrower.body.scope, "product:write");
    assert.is.not(narrower.body.refresh_token, first.body.refresh_token);
    assert.is.not(narrower.body.access_token, first.body.access_token);
    const wider = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: narrower.body.refresh_token,
      scope: "product:write user:manage",
    });
    assert.equal([wider.status, wider.body.error], [400, "invalid_scope"]);
  },
);

oauth(
  "given a refresh token used twice, then the second use fails and the whole family is revoked",
  async ({ server }) => {
    const login = await signIn(server.url, ADMIN.email, ADMIN.password);
    const other = await signIn(server.url, ADMIN.email, ADMIN.password); // another session: another family
    const rotated = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: login.refreshToken,
    });
    assert.is(rotated.status, 200);

    // When a stolen copy of the already used token is presented,
    const replay = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: login.refreshToken,
    });
    assert.equal([replay.status, replay.body.error], [400, "invalid_grant"]);

    // then the legitimate holder's current token is dead too: the family is revoked,
    const successor = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: rotated.body.refresh_token,
    });
    assert.equal([successor.status, successor.body.error], [400, "invalid_grant"]);
    // and other sessions of the account are untouched.
    const unrelated = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: other.refreshToken,
    });
    assert.is(unrelated.status, 200);
  },
);

oauth(
  "given the same refresh token sent twice at once, then at most one succeeds and the family ends",
  async ({ server }) => {
    const login = await signIn(server.url, ADMIN.email, ADMIN.password);
    const both = await Promise.all([
      tokenRequest(server.url, { grant_type: "refresh_token", refresh_token: login.refreshToken }),
      tokenRequest(server.url, { grant_type: "refresh_token", refresh_token: login.refreshToken }),
    ]);
    const won = both.filter((res) => res.status === 200);
    assert.is(won.length, 1, JSON.stringify(both.map((res) => res.body)));
    const next = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: won[0]?.body.refresh_token,
    });
    assert.is(next.status, 400, "the winner's token was revoked with its family");
  },
);

oauth(
  "revocation signs out: the refresh token's family stops working; unknown tokens get 200 too",
  async ({ server }) => {
    const login = await signIn(server.url, ADMIN.email, ADMIN.password);
    const revoke = (token: string) =>
      call(`${server.url}/api/v1/auth/revoke`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }).toString(),
      });
    assert.is((await revoke(login.refreshToken)).status, 200);
    assert.is((await revoke("never-issued-token-value")).status, 200);
    const after = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: login.refreshToken,
    });
    assert.equal([after.status, after.body.error], [400, "invalid_grant"]);
  },
);

oauth("the token endpoint answers under v2 and through header versioning as well", async ({ server }) => {
  const v2 = await tokenRequest(
    server.url,
    { grant_type: "password", username: ADMIN.email, password: ADMIN.password },
    "v2",
  );
  assert.is(v2.status, 200);
  const byHeader = await call(`${server.url}/api/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "X-API-Version": "v2" },
    body: new URLSearchParams({
      grant_type: "password",
      username: ADMIN.email,
      password: ADMIN.password,
    }).toString(),
  });
  assert.is(byHeader.status, 200);
});

oauth(
  "an API key is shown once, stored hashed, listed without its secret, used as X-API-Key, and revoked",
  async ({ server }) => {
    const admin = await asAdmin(server.url);
    const me = (await call(`${server.url}/api/v1/users/me`, { headers: admin })).body.data.id;
    const created = await call(`${server.url}/api/v1/users/${me}/api-keys`, {
      method: "POST",
      headers: admin,
      json: { name: "deploy bot", permissions: ["product:write"] },
    });
    assert.is(created.status, 201);
    const { key, prefix, id } = created.body.data;
    assert.match(key, new RegExp(`^keel_${prefix}_[A-Za-z0-9_-]{43}$`));
    const secret = key.slice(`keel_${prefix}_`.length);

    const listed = await call(`${server.url}/api/v1/users/${me}/api-keys`, { headers: admin });
    assert.is(listed.status, 200);
    assert.not.ok(JSON.stringify(listed.body).includes(secret), "the secret is never shown again");
    assert.equal(Object.keys(listed.body.data.items[0]).sort(), [
      "created_at",
      "id",
      "name",
      "permissions",
      "prefix",
    ]);

    const used = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers: { "x-api-key": key },
      json: { name: "By key", sku: "KEY-1", price: 1, currency: "EUR", stock: 1 },
    });
    assert.is(used.status, 201);
    const lastUsed = (await call(`${server.url}/api/v1/users/${me}/api-keys`, { headers: admin })).body.data
      .items[0];
    assert.ok(lastUsed.last_used_at, "last use recorded");

    const tampered = await call(`${server.url}/api/v1/products/${used.body.data.id}`, {
      headers: { "x-api-key": `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}` },
    });
    assert.equal([tampered.status, tampered.body.code], [401, "UNAUTHENTICATED"]);
    assert.match(tampered.headers.get("www-authenticate") ?? "", /invalid_token/);

    const mint = await call(`${server.url}/api/v1/users/${me}/api-keys`, {
      method: "POST",
      headers: { "x-api-key": key },
      json: { name: "key from key", permissions: [] },
    });
    assert.is(mint.status, 403, "a key cannot mint keys");

    const revoked = await call(`${server.url}/api/v1/users/${me}/api-keys/${id}`, {
      method: "DELETE",
      headers: admin,
    });
    assert.is(revoked.status, 200);
    const afterRevoke = await call(`${server.url}/api/v1/products/${used.body.data.id}`, {
      headers: { "x-api-key": key },
    });
    assert.is(afterRevoke.status, 401);
  },
);

oauth(
  "a key cannot grant more than its creator holds, nor permissions keel does not know",
  async ({ server }) => {
    const user = await registerAndSignIn(server.url, "key.maker@example.com");
    const beyond = await call(`${server.url}/api/v1/users/${user.userId}/api-keys`, {
      method: "POST",
      headers: bearer(user.accessToken),
      json: { name: "too strong", permissions: ["product:write"] },
    });
    assert.equal([beyond.status, beyond.body.code], [403, "FORBIDDEN"]);
    const unknown = await call(`${server.url}/api/v1/users/${user.userId}/api-keys`, {
      method: "POST",
      headers: await asAdmin(server.url),
      json: { name: "typo", permissions: ["product:wrtie"] },
    });
    assert.is(unknown.status, 403, "only the account itself mints its keys");
    const admin = await asAdmin(server.url);
    const adminId = (await call(`${server.url}/api/v1/users/me`, { headers: admin })).body.data.id;
    const typo = await call(`${server.url}/api/v1/users/${adminId}/api-keys`, {
      method: "POST",
      headers: admin,
      json: { name: "typo", permissions: ["product:wrtie"] },
    });
    assert.equal([typo.status, typo.body.errors?.[0]?.path], [422, "body.permissions"]);
  },
);

oauth("credentials sent two ways at once, or a non-bearer Authorization, are refused", async ({ server }) => {
  const both = await call(`${server.url}/api/v1/products`, {
    headers: { authorization: "Bearer abc.def.ghi", "x-api-key": "keel_000000000000_x" },
  });
  assert.equal([both.status, both.body.code], [400, "AMBIGUOUS_CREDENTIALS"]);
  const basic = await call(`${server.url}/api/v1/products`, {
    headers: { authorization: `Basic ${Buffer.from("admin:pw").toString("base64")}` },
  });
  assert.equal([basic.status, basic.body.code], [401, "UNAUTHENTICATED"]);
});

oauth.run();

test("given EdDSA keys, tokens carry the key id and the JWKS serves only public keys, the old key still verifying", async () => {
  const jwk = (kid: string) => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const privateJwk = { ...privateKey.export({ format: "jwk" }), kid };
    const { d: _d, ...publicJwk } = privateJwk;
    return { privateJwk, publicJwk };
  };
  const current = jwk("2026-11");
  const previous = jwk("2026-10");
  const server = await startTestServer({
    env: {
      AUTH__JWT_ALGORITHM: "EdDSA",
      AUTH__JWT_SECRET: "",
      AUTH__JWT_SIGNING_KEY: JSON.stringify(current.privateJwk),
      AUTH__JWT_VERIFICATION_KEYS: JSON.stringify([current.publicJwk, previous.publicJwk]),
    },
  });
  try {
    const jwks = await call(`${server.url}/.well-known/jwks.json`);
    assert.is(jwks.status, 200);
    assert.equal(
      jwks.body.keys.map((k: { kid: string; alg: string; d?: string }) => [k.kid, k.alg, k.d]),
      [
        ["2026-11", "EdDSA", undefined],
        ["2026-10", "EdDSA", undefined],
      ],
    );
    const login = await signIn(server.url, ADMIN.email, ADMIN.password);
    assert.equal(decodeProtectedHeader(login.accessToken), { alg: "EdDSA", typ: "at+jwt", kid: "2026-11" });
    const me = await call(`${server.url}/api/v1/users/me`, { headers: bearer(login.accessToken) });
    assert.is(me.status, 200);
  } finally {
    await server.stop();
  }
});

const redis = await redisDecision();

serviceTest(
  redis,
  "given two instances sharing Redis, the N+1th wrong password for one username gets 429 from either",
  async () => {
    const env = {
      RATE_LIMIT__STORE: "redis",
      RATE_LIMIT__LOGIN__USERNAME_POINTS: "3",
      // High enough that this test's attempts and sign-up from 127.0.0.1 (and earlier runs', counted in the
      // same Redis) never trip an address limit: only the username limit is under test.
      RATE_LIMIT__LOGIN__IP_POINTS: "10000",
      RATE_LIMIT__EXPENSIVE__POINTS: "10000",
    };
    const [first, second] = [await startTestServer({ env }), await startTestServer({ env })];
    try {
      const username = `brute.${randomBytes(6).toString("hex")}@example.com`;
      await registerAndSignIn(first.url, username); // an account on the first instance only: the limit does not care
      const guess = (server: TestServer, password: string) =>
        tokenRequest(server.url, { grant_type: "password", username, password });
      const answers = [
        await guess(first, "guess number one"),
        await guess(second, "guess number two"),
        await guess(first, "guess number three"),
      ];
      assert.equal(
        answers.map((res) => res.status),
        [400, 400, 400],
      );
      const fourth = await guess(second, "guess number four");
      assert.is(fourth.status, 429);
      assert.is(fourth.body.error, "too_many_requests");
      const retryAfter = Number(fourth.headers.get("retry-after"));
      assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
      // The right password does not help within the window: the limit is on attempts, not on guesses.
      const right = await guess(first, PASSWORD);
      assert.is(right.status, 429);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  },
);

test.run();
