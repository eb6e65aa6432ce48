import type { JsonWebKey } from "node:crypto";
import { exportJWK, generateKeyPair, type JWTHeaderParameters, type JWTPayload, SignJWT } from "jose";
import * as assert from "uvu/assert";
import {
  JoseAccessTokens,
  type JoseAccessTokensOptions,
} from "../../../src/adapters/security/jose-access-tokens.js";
import {
  type AccessTokenClaims,
  InvalidAccessToken,
  type InvalidAccessTokenReason,
} from "../../../src/ports/access-tokens.js";
import { test } from "../../support/uvu.js";

const SECRET = "a-test-secret-of-at-least-32-bytes!";
const ISSUER = "https://keel.test";
const AUDIENCE = "keel-api";
const TTL = 900;
const TOLERANCE = 30;
const START = new Date("2030-01-01T00:00:00.000Z");
const claims: AccessTokenClaims = {
  subject: "user-42",
  roles: ["admin"],
  scopes: ["products:read", "orders:write"],
};

interface KeyPair {
  readonly kid: string;
  readonly privateJwk: JsonWebKey;
  readonly publicJwk: JsonWebKey;
}

async function keyPair(kid: string, algorithm: "EdDSA" | "RS256" = "EdDSA"): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
  return { kid, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

function clock(start: Date = START) {
  let current = start;
  return {
    now: () => current,
    advance(seconds: number) {
      current = new Date(current.getTime() + seconds * 1000);
    },
  };
}

type Overrides = Partial<JoseAccessTokensOptions>;

function hs256(overrides: Overrides = {}): JoseAccessTokens {
  return new JoseAccessTokens({
    issuer: ISSUER,
    audience: AUDIENCE,
    ttlSeconds: TTL,
    clockToleranceSeconds: TOLERANCE,
    now: () => START,
    algorithm: "HS256",
    secret: SECRET,
    ...overrides,
  });
}

function asymmetric(
  signing: KeyPair,
  listed: readonly KeyPair[],
  overrides: Overrides = {},
): JoseAccessTokens {
  return new JoseAccessTokens({
    issuer: ISSUER,
    audience: AUDIENCE,
    ttlSeconds: TTL,
    clockToleranceSeconds: TOLERANCE,
    now: () => START,
    algorithm: "EdDSA",
    signingKey: { kid: signing.kid, privateJwk: signing.privateJwk },
    verificationKeys: listed.map(({ kid, publicJwk }) => ({ kid, publicJwk })),
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<InvalidAccessToken> {
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  if (outcome instanceof InvalidAccessToken) return outcome;
  if (outcome !== undefined) throw outcome;
  throw new Error("expected the token to be rejected, but it was accepted");
}

async function assertRejected(
  promise: Promise<unknown>,
  ...reasons: [InvalidAccessTokenReason, ...InvalidAccessTokenReason[]]
): Promise<void> {
  const { reason } = await rejection(promise);
  assert.ok(reasons.includes(reason), `expected reason ${reasons.join(" or ")}, got ${reason}`);
}

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function validPayload(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(START.getTime() / 1000);
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: "user-42",
    jti: "0b5f1e9a-1c1c-4f61-9d5b-3a7b7d0a7c11",
    iat: now,
    exp: now + TTL,
    roles: ["admin"],
    ...overrides,
  };
}

function craft(
  header: JWTHeaderParameters,
  key: Uint8Array | JsonWebKey,
  payload: JWTPayload = validPayload(),
) {
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}

function decodeSegment(token: string, index: 0 | 1): Record<string, unknown> {
  const segment = token.split(".")[index] ?? "";
  return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
}

test("given an HS256 issuer, when a token is issued and verified, then the claims, token id and expiry come back", async () => {
  const tokens = hs256();

  const issued = await tokens.issue(claims);
  const verified = await tokens.verify(issued.token);

  assert.is(issued.expiresIn, TTL);
  assert.match(issued.tokenId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(verified, {
    subject: "user-42",
    roles: ["admin"],
    scopes: ["products:read", "orders:write"],
    tokenId: issued.tokenId,
    expiresAt: new Date(START.getTime() + TTL * 1000),
  });
});

test("given an HS256 token, when it is decoded, then it carries the pinned header and the registered claims", async () => {
  const issued = await hs256().issue(claims);

  const now = START.getTime() / 1000;
  assert.equal(decodeSegment(issued.token, 0), { alg: "HS256", typ: "at+jwt" });
  assert.equal(decodeSegment(issued.token, 1), {
    roles: ["admin"],
    scope: "products:read orders:write",
    iss: ISSUER,
    aud: AUDIENCE,
    sub: "user-42",
    jti: issued.tokenId,
    iat: now,
    nbf: now,
    exp: now + TTL,
  });
});

test("given two issued tokens, when their ids are compared, then each has its own random jti", async () => {
  const tokens = hs256();

  const [first, second] = await Promise.all([tokens.issue(claims), tokens.issue(claims)]);

  assert.is.not(first.tokenId, second.tokenId);
});

test("given claims without roles or scopes, when issued and verified, then both come back empty", async () => {
  const tokens = hs256();

  const verified = await tokens.verify((await tokens.issue({ subject: "u", roles: [], scopes: [] })).token);

  assert.equal(verified.roles, []);
  assert.equal(verified.scopes, []);
});

test("given an EdDSA issuer, when a token is issued and verified, then the claims come back and the header names the kid", async () => {
  const current = await keyPair("2030-01");
  const tokens = asymmetric(current, [current]);

  const issued = await tokens.issue(claims);
  const verified = await tokens.verify(issued.token);

  assert.equal(decodeSegment(issued.token, 0), { alg: "EdDSA", typ: "at+jwt", kid: "2030-01" });
  assert.equal(verified, {
    ...claims,
    tokenId: issued.tokenId,
    expiresAt: new Date(START.getTime() + TTL * 1000),
  });
});

test("given an RS256 issuer, when a token is issued and verified, then the claims come back", async () => {
  const current = await keyPair("rsa-1", "RS256");
  const tokens = asymmetric(current, [current], { algorithm: "RS256" });

  const issued = await tokens.issue(claims);

  assert.is(decodeSegment(issued.token, 0).alg, "RS256");
  assert.is((await tokens.verify(issued.token)).tokenId, issued.tokenId);
});

test("given an unsigned token with alg none, when verified, then it is rejected for its algorithm", async () => {
  const unsigned = `${encodeSegment({ alg: "none", typ: "at+jwt" })}.${encodeSegment(validPayload())}.`;

  await assertRejected(hs256().verify(unsigned), "algorithm", "malformed");
  const current = await keyPair("k1");
  await assertRejected(asymmetric(current, [current]).verify(unsigned), "algorithm", "malformed");
});

test("given a token signed with another secret, when verified, then it is rejected for its signature", async () => {
  const forged = await hs256({ secret: "another-secret-that-is-32-bytes-long" }).issue(claims);

  await assertRejected(hs256().verify(forged.token), "signature");
});

test("given a token whose payload was altered after signing, when verified, then it is rejected for its signature", async () => {
  const issued = await hs256().issue(claims);
  const [header, , signature] = issued.token.split(".");
  const elevated = encodeSegment({ ...decodeSegment(issued.token, 1), roles: ["admin", "superuser"] });

  await assertRejected(hs256().verify(`${header}.${elevated}.${signature}`), "signature");
});

test("given a token signed by another EdDSA key under the trusted kid, when verified, then it is rejected for its signature", async () => {
  const trusted = await keyPair("k1");
  const impostor = await keyPair("k1");
  const forged = await asymmetric(impostor, [impostor]).issue(claims);

  await assertRejected(asymmetric(trusted, [trusted]).verify(forged.token), "signature");
});

test("given an EdDSA verifier, when an HS256 token arrives, then it is rejected for its algorithm", async () => {
  const current = await keyPair("k1");
  const verifier = asymmetric(current, [current]);
  const hmacWithSecret = await hs256().issue(claims);
  // The classic confusion: an HMAC keyed with the verifier's public key, hoping it is used as a secret.
  const hmacWithPublicKey = await craft(
    { alg: "HS256", typ: "at+jwt", kid: "k1" },
    new TextEncoder().encode(JSON.stringify(current.publicJwk)),
  );

  await assertRejected(verifier.verify(hmacWithSecret.token), "algorithm");
  await assertRejected(verifier.verify(hmacWithPublicKey), "algorithm");
});

test("given an HS256 verifier, when an EdDSA token arrives, then it is rejected for its algorithm", async () => {
  const current = await keyPair("k1");
  const eddsa = await asymmetric(current, [current]).issue(claims);

  await assertRejected(hs256().verify(eddsa.token), "algorithm");
});

test("given a token for another audience, when verified, then it is rejected for its audience", async () => {
  const issued = await hs256({ audience: "another-api" }).issue(claims);

  await assertRejected(hs256().verify(issued.token), "audience");
});

test("given a token from another issuer, when verified, then it is rejected for its issuer", async () => {
  const issued = await hs256({ issuer: "https://evil.test" }).issue(claims);

  await assertRejected(hs256().verify(issued.token), "issuer");
});

test("given a token, when the clock passes its expiry but stays within the tolerance, then it still verifies", async () => {
  const time = clock();
  const tokens = hs256({ now: time.now });
  const issued = await tokens.issue(claims);

  time.advance(TTL + TOLERANCE - 1);

  assert.is((await tokens.verify(issued.token)).tokenId, issued.tokenId);
});

test("given a token, when the clock passes its expiry plus the tolerance, then it is rejected as expired", async () => {
  const time = clock();
  const tokens = hs256({ now: time.now });
  const issued = await tokens.issue(claims);

  time.advance(TTL + TOLERANCE);

  await assertRejected(tokens.verify(issued.token), "expired");
});

test("given a token issued by a clock ahead beyond the tolerance, when verified now, then it is rejected as not yet valid", async () => {
  const ahead = new Date(START.getTime() + (TOLERANCE + 60) * 1000);
  const issued = await hs256({ now: () => ahead }).issue(claims);

  await assertRejected(hs256().verify(issued.token), "not-yet-valid");
});

test("given a token issued by a clock ahead within the tolerance, when verified now, then it verifies", async () => {
  const ahead = new Date(START.getTime() + (TOLERANCE - 1) * 1000);
  const issued = await hs256({ now: () => ahead }).issue(claims);

  assert.is((await hs256().verify(issued.token)).tokenId, issued.tokenId);
});

test("given a token without a jti, when verified, then it is rejected for its claims", async () => {
  const { jti: _, ...withoutJti } = validPayload();
  const token = await craft({ alg: "HS256", typ: "at+jwt" }, new TextEncoder().encode(SECRET), withoutJti);

  await assertRejected(hs256().verify(token), "claims");
});

test("given a validly signed JWT that is not typed as an access token, when verified, then it is rejected for its claims", async () => {
  const token = await craft({ alg: "HS256", typ: "JWT" }, new TextEncoder().encode(SECRET));

  await assertRejected(hs256().verify(token), "claims");
});

test("given a signed token whose roles are not a list of strings, when verified, then it is rejected for its claims", async () => {
  const token = await craft(
    { alg: "HS256", typ: "at+jwt" },
    new TextEncoder().encode(SECRET),
    validPayload({ roles: "admin" }),
  );

  await assertRejected(hs256().verify(token), "claims");
});

test("given a rotation, when a token signed with the previous kid is verified while that key is listed, then it verifies", async () => {
  const previous = await keyPair("2029-12");
  const current = await keyPair("2030-01");
  const oldToken = await asymmetric(previous, [previous]).issue(claims);
  const rotated = asymmetric(current, [current, previous]);

  const newToken = await rotated.issue(claims);

  assert.is((await rotated.verify(oldToken.token)).tokenId, oldToken.tokenId);
  assert.is(decodeSegment(newToken.token, 0).kid, "2030-01");
  assert.is((await rotated.verify(newToken.token)).tokenId, newToken.tokenId);
});

test("given a rotation, when the previous key is no longer listed, then its tokens are rejected", async () => {
  const previous = await keyPair("2029-12");
  const current = await keyPair("2030-01");
  const oldToken = await asymmetric(previous, [previous]).issue(claims);

  await assertRejected(asymmetric(current, [current]).verify(oldToken.token), "signature");
});

test("given an asymmetric verifier, when a token without a kid arrives, then it is rejected as malformed", async () => {
  const current = await keyPair("k1");

  const token = await craft({ alg: "EdDSA", typ: "at+jwt" }, current.privateJwk);

  await assertRejected(asymmetric(current, [current]).verify(token), "malformed");
});

test("given an EdDSA issuer with a previous key, when the JWKS is read, then it lists both public keys by kid and no private member", async () => {
  const previous = await keyPair("2029-12");
  const current = await keyPair("2030-01");

  const jwks = await asymmetric(current, [current, previous]).jwks();

  assert.equal(jwks, {
    keys: [
      { kty: "OKP", crv: "Ed25519", x: current.publicJwk.x, kid: "2030-01", alg: "EdDSA", use: "sig" },
      { kty: "OKP", crv: "Ed25519", x: previous.publicJwk.x, kid: "2029-12", alg: "EdDSA", use: "sig" },
    ],
  });
  assert.not.ok(JSON.stringify(jwks).includes('"d"'));
});

test("given an RS256 issuer, when the JWKS is read, then it holds only the modulus and exponent", async () => {
  const current = await keyPair("rsa-1", "RS256");

  const jwks = await asymmetric(current, [current], { algorithm: "RS256" }).jwks();

  const [key] = jwks?.keys ?? [];
  assert.equal(Object.keys(key ?? {}).sort(), ["alg", "e", "kid", "kty", "n", "use"]);
});

test("given an HS256 issuer, when the JWKS is read, then there is none to publish", async () => {
  assert.is(await hs256().jwks(), undefined);
});

test("given an HS256 secret shorter than 32 bytes, when the adapter is built, then it is refused", () => {
  assert.throws(() => hs256({ secret: "too-short-secret" }), /at least 32 bytes/);
  assert.throws(() => hs256({ secret: undefined }), /need a secret/);
});

test("given asymmetric key material that does not fit, when the adapter is built, then it is refused", async () => {
  const current = await keyPair("k1");
  const other = await keyPair("k2");
  const rsa = await keyPair("k1", "RS256");

  assert.throws(() => asymmetric(current, [other]), /public key of signing key "k1"/);
  assert.throws(() => asymmetric(current, [{ ...other, kid: "k1" }]), /public key of signing key "k1"/);
  assert.throws(() => asymmetric(rsa, [rsa]), /must be an Ed25519 key/);
  assert.throws(() => asymmetric(current, [current, current]), /listed twice/);
  assert.throws(() => asymmetric(current, [current], { secret: SECRET }), /not a secret/);
  assert.throws(
    () => asymmetric({ ...current, privateJwk: current.publicJwk }, [current]),
    /not a valid JWK/,
  );
});

test("given a scope with a space in it, when a token is issued, then it is refused", async () => {
  try {
    await hs256().issue({ ...claims, scopes: ["products read"] });
    assert.unreachable("the scope should have been refused");
  } catch (error) {
    assert.instance(error, TypeError);
  }
});

test("given a garbage string, when verified, then it is rejected as malformed", async () => {
  const tokens = hs256();

  await assertRejected(tokens.verify("not-a-jwt"), "malformed");
  await assertRejected(tokens.verify("a.b.c"), "malformed");
  await assertRejected(tokens.verify(""), "malformed");
});

test("given a rejected token, when the error is read, then it names the reason and keeps jose's cause", async () => {
  const error = await rejection(hs256().verify("not-a-jwt"));

  assert.is(error.name, "InvalidAccessToken");
  assert.is(error.reason, "malformed");
  assert.ok(error.cause instanceof Error);
});

test.run();
