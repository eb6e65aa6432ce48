import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { SignJWT } from "jose";
import * as assert from "uvu/assert";
import { type PermissionCatalog, Permissions } from "../../../src/application/shared/permissions.js";
import { DEVELOPMENT_JWT_SECRET } from "../../../src/bootstrap/config/definition.js";
import type { VersionedRoutes } from "../../../src/bootstrap/modules/http-module.js";
import { SERVICE_PLUGINS } from "../../../src/bootstrap/plugins/find-plugins.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import {
  type Access,
  expectOk,
  type Fixtures,
  loadAccessRules,
  type Rule,
  type Sample,
  unique,
} from "../../support/access-rules.js";
import { ADMIN, bearer, registerAndSignIn, signIn } from "../../support/auth.js";
import { call, type JsonResponse, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";
import { PASSWORD } from "../user/user.access.js";

/**
 * The authorization matrix: every endpoint × every kind of caller → the status its access rule
 * implies. Endpoints come from the running server's route table (plus the OAuth2 endpoints and the
 * JWKS, mounted outside it), so every context's routes are in it; rules are data, one per
 * `METHOD /path` whatever the version, in each context's `*.access.ts` (test/support/access-rules.ts
 * finds them), and the expected status is derived from the rule by `expectedStatus`. A route without
 * a rule, or a rule without a route, fails the coverage test.
 */

// ---------------------------------------------------------------------------------------------
// What a rule implies

/** Who is calling, as far as the rules care. */
interface Principal {
  readonly name: string;
  readonly credentials: "none" | "valid" | "invalid";
  /** A signed-in user (access token) or an API key; undefined for anonymous and bad credentials. */
  readonly via?: "user" | "apiKey";
  /** Acts as the subject account of `/users/:id` routes (the account itself, or one of its keys). */
  readonly actsAsSubject: boolean;
  /** Whether it holds the permission the rule names. */
  readonly holds: (permission: string) => boolean;
  /** Headers that present its credentials for a route with this rule. */
  readonly headers: (access: Access) => Record<string, string>;
}

/** The one place where a rule becomes a status: 2xx (the route's own), 401, 403, or 404. */
function expectedStatus(access: Access, principal: Principal, success: number): number {
  if (access.kind === "credentialsIgnored") return success;
  if (principal.credentials === "invalid") return 401;
  if (access.kind === "absent") return 404;
  if (access.kind === "public") return success;
  if (principal.credentials === "none") return 401;
  switch (access.kind) {
    case "permission":
      return principal.holds(access.permission) ? success : 403;
    case "ownerOr":
      return (principal.via === "user" && principal.actsAsSubject) || principal.holds(access.permission)
        ? success
        : 403;
    case "ownedOr":
      if ((principal.via === "user" && principal.actsAsSubject) || principal.holds(access.permission)) {
        return success;
      }
      return principal.via === "user" ? 404 : 403;
    case "ownAccountOr":
      return principal.via === "user" || principal.holds(access.permission) ? success : 403;
    case "self":
      return principal.via === "user" && principal.actsAsSubject ? success : 403;
  }
}

// ---------------------------------------------------------------------------------------------
// Endpoints

interface Endpoint {
  /** `METHOD /path` below the version prefix: the rule's key. */
  readonly key: string;
  readonly method: string;
  /** The full path template, e.g. `/api/v2/products/:id`. */
  readonly path: string;
  readonly version: string | undefined;
  readonly success: number;
  /** Whether it answers in keel's envelope (the OAuth2 endpoints speak OAuth2). */
  readonly envelope: boolean;
}

function endpointsOf(server: TestServer): Endpoint[] {
  const contributions = server.container.getAll<VersionedRoutes>(Tokens.ApiRoutes);
  const endpoints: Endpoint[] = contributions.flatMap(({ version, routes }) =>
    routes.map((route) => ({
      key: `${route.method} ${route.path}`,
      method: route.method,
      path: `/api/${version}${route.path}`,
      version,
      success: route.status ?? 200,
      envelope: true,
    })),
  );
  const versions = [...new Set(contributions.map((c) => c.version))];
  for (const version of versions) {
    for (const endpoint of ["token", "revoke"]) {
      endpoints.push({
        key: `POST /auth/${endpoint}`,
        method: "POST",
        path: `/api/${version}/auth/${endpoint}`,
        version,
        success: 200,
        envelope: false,
      });
    }
  }
  endpoints.push({
    key: "GET /.well-known/jwks.json",
    method: "GET",
    path: "/.well-known/jwks.json",
    version: undefined,
    success: 200,
    envelope: false,
  });
  return endpoints;
}

// ---------------------------------------------------------------------------------------------
// Principals

interface TokenSettings {
  readonly secret: string;
  readonly issuer: string;
  readonly audience: string;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * A token like keel's own for `subject`, claiming the admin role, with one thing changed. With no
 * change it is valid (the control case), so each bad token is refused for its one flaw alone.
 */
async function forgeToken(
  settings: TokenSettings,
  subject: string,
  flaw: "none" | "expired" | "foreign key" | "audience" | "alg none",
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = flaw === "expired" ? now - 3600 : now;
  const expiresAt = flaw === "expired" ? now - 600 : now + 600;
  const audience = flaw === "audience" ? "another-api" : settings.audience;
  const claims = {
    roles: ["admin"],
    iss: settings.issuer,
    aud: audience,
    sub: subject,
    jti: randomUUID(),
    iat: issuedAt,
    nbf: issuedAt,
    exp: expiresAt,
  };
  if (flaw === "alg none") return `${base64url({ alg: "none", typ: "at+jwt" })}.${base64url(claims)}.`;
  const secret = flaw === "foreign key" ? "another-service-entirely-its-own-secret-key" : settings.secret;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
    .sign(new TextEncoder().encode(secret));
}

async function createKey(
  fixtures: { server: TestServer },
  owner: { id: string; headers: Record<string, string> },
  permissions: readonly string[],
): Promise<string> {
  const res = await call(`${fixtures.server.url}/api/v1/users/${owner.id}/api-keys`, {
    method: "POST",
    headers: owner.headers,
    json: { name: unique("matrix"), permissions },
  });
  return (await expectOk(res, `creating a key with [${permissions.join(", ")}]`)).body.data.key;
}

const apiKey = (key: string) => ({ "x-api-key": key });

/**
 * The callers. API keys act for their owner with only the permissions they list: the admin's keys
 * are not the subject, so on `/users/:id` routes they pass only by holding the permission; the
 * subject's own key without permissions is refused even on its owner's account.
 */
async function principalsFor(
  fixtures: Fixtures,
  tokens: TokenSettings,
  permissions: readonly string[],
): Promise<Principal[]> {
  const admin = fixtures.admin;
  // One admin key per permission, each holding only that one; rules without a permission get the
  // admin's key holding all of them (for `self` rules: even that is not enough).
  const scoped = new Map<string, string>();
  for (const name of permissions) scoped.set(name, await createKey(fixtures, admin, [name]));
  const allScopes = await createKey(fixtures, admin, permissions);
  const unscoped = await createKey(fixtures, admin, []);
  const subjectKey = await createKey(
    fixtures,
    { id: fixtures.subject.id, headers: bearer(fixtures.subject.token) },
    [],
  );

  const nobody = () => false;
  const invalid = (name: string, token: string): Principal => ({
    name,
    credentials: "invalid",
    actsAsSubject: false,
    holds: nobody,
    headers: () => bearer(token),
  });
  const forged = (flaw: Parameters<typeof forgeToken>[2]) => forgeToken(tokens, admin.id, flaw);

  return [
    { name: "anonymous", credentials: "none", actsAsSubject: false, holds: nobody, headers: () => ({}) },
    {
      name: "user (the subject)",
      credentials: "valid",
      via: "user",
      actsAsSubject: true,
      holds: nobody,
      headers: () => bearer(fixtures.subject.token),
    },
    {
      name: "other user",
      credentials: "valid",
      via: "user",
      actsAsSubject: false,
      holds: nobody,
      headers: () => bearer(fixtures.other.token),
    },
    {
      name: "admin",
      credentials: "valid",
      via: "user",
      actsAsSubject: false,
      holds: (name) => permissions.includes(name),
      headers: () => admin.headers,
    },
    {
      name: "admin's API key with the scope",
      credentials: "valid",
      via: "apiKey",
      actsAsSubject: false,
      holds: () => true,
      headers: (access) =>
        apiKey("permission" in access ? (scoped.get(access.permission) ?? allScopes) : allScopes),
    },
    {
      name: "admin's API key without it",
      credentials: "valid",
      via: "apiKey",
      actsAsSubject: false,
      holds: nobody,
      headers: () => apiKey(unscoped),
    },
    {
      name: "the subject's own API key (no permissions)",
      credentials: "valid",
      via: "apiKey",
      actsAsSubject: true,
      holds: nobody,
      headers: () => apiKey(subjectKey),
    },
    invalid("expired JWT", await forged("expired")),
    invalid("JWT signed with another key", await forged("foreign key")),
    invalid("alg: none JWT", await forged("alg none")),
    invalid("JWT for another audience", await forged("audience")),
  ];
}

// ---------------------------------------------------------------------------------------------
// Running a cell

function fillPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`the sample gives no :${name} for ${template}`);
    return encodeURIComponent(value);
  });
}

async function send(
  server: TestServer,
  endpoint: Endpoint,
  sample: Sample,
  headers: Record<string, string>,
): Promise<JsonResponse> {
  const url = `${server.url}${fillPath(endpoint.path, sample.params)}`;
  if (sample.form !== undefined) {
    return call(url, {
      method: endpoint.method,
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(sample.form).toString(),
    });
  }
  return call(url, {
    method: endpoint.method,
    headers,
    ...(sample.json === undefined ? {} : { json: sample.json }),
  });
}

/** What is wrong with the answer, or undefined when it is what the rule says. */
function mismatch(
  res: JsonResponse,
  expected: number,
  endpoint: Endpoint,
  principal: Principal,
): string | undefined {
  const body = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
  const got = `${res.status} ${body.length > 160 ? `${body.slice(0, 160)}…` : body}`;
  if (res.status !== expected) return `expected ${expected}, got ${got}`;
  if (expected === 401 || expected === 403) {
    const code = expected === 401 ? "UNAUTHENTICATED" : "FORBIDDEN";
    if (res.body?.code !== code) return `expected envelope code ${code}, got ${got}`;
    if (typeof res.body.message !== "string" || typeof res.body.requestId !== "string") {
      return `expected the envelope {code, message, requestId}, got ${got}`;
    }
  }
  if (expected === 401) {
    const challenge = res.headers.get("www-authenticate") ?? "";
    if (!/^Bearer realm="keel"/.test(challenge))
      return `expected a Bearer WWW-Authenticate, got "${challenge}"`;
    const flagged = challenge.includes('error="invalid_token"');
    if (principal.credentials === "invalid" && !flagged) {
      return `expected WWW-Authenticate to say error="invalid_token", got "${challenge}"`;
    }
    if (principal.credentials === "none" && flagged) {
      return `expected a bare challenge for no credentials, got "${challenge}"`;
    }
  }
  if (expected < 300 && endpoint.envelope && res.body?.code !== "OK")
    return `expected the OK envelope, got ${got}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The suite

interface Context {
  server: TestServer;
  rules: Readonly<Record<string, Rule>>;
  endpoints: Endpoint[];
  fixtures: Fixtures;
  tokens: TokenSettings;
  principals: Principal[];
}

const matrix = suite<Context>("authorization matrix");

matrix.before(async (context) => {
  // The matrix sends a few hundred requests from one address within seconds. Every plugin under
  // plugins/ is enabled, so their routes are in the matrix too (with rules in *.access.ts, like a context's).
  const plugins = readdirSync(SERVICE_PLUGINS.folder, { withFileTypes: true }).filter((e) => e.isDirectory());
  context.server = await startTestServer({
    env: { RATE_LIMIT__ENABLED: "false", PLUGINS__ENABLED: plugins.map((e) => e.name).join(",") },
  });
  const server = context.server;
  context.endpoints = endpointsOf(server);
  const auth = server.store.get().auth;
  context.tokens = {
    secret: auth.jwtSecret ?? DEVELOPMENT_JWT_SECRET,
    issuer: auth.issuer,
    audience: auth.audience,
  };

  // Signed in here rather than through asAdmin's per-URL cache: a reused port must not hand us a
  // token for another server's admin.
  const adminHeaders = bearer((await signIn(server.url, ADMIN.email, ADMIN.password)).accessToken);
  const me = await expectOk(
    await call(`${server.url}/api/v1/users/me`, { headers: adminHeaders }),
    "reading the admin's account",
  );
  const subjectEmail = `${unique("subject")}@example.com`;
  const otherEmail = `${unique("other")}@example.com`;
  const [subject, other] = await Promise.all([
    registerAndSignIn(server.url, subjectEmail, PASSWORD),
    registerAndSignIn(server.url, otherEmail, PASSWORD),
  ]);
  const shared = {
    server,
    subject: { id: subject.userId, email: subjectEmail, token: subject.accessToken, password: PASSWORD },
    other: { id: other.userId, email: otherEmail, token: other.accessToken, password: PASSWORD },
    admin: { id: me.body.data.id, headers: adminHeaders },
  };
  // Each context's rules, and what they share, made once.
  const rules: Record<string, Rule> = {};
  const prepared: Record<string, string> = {};
  for (const { file, access } of await loadAccessRules()) {
    for (const [key, rule] of Object.entries(access.rules)) {
      if (rules[key] !== undefined) throw new Error(`${file}: a rule for ${key} is given twice`);
      rules[key] = rule;
    }
    Object.assign(prepared, (await access.prepare?.(shared)) ?? {});
  }
  context.rules = rules;
  context.fixtures = { ...shared, prepared };
  // Keys are scoped to the permissions some route requires: one no route requires (product:reserve,
  // held by the system principal alone) has nothing here to check, and no role gives it to the admin.
  const required = new Set(
    Object.values(rules).flatMap(({ access }) => ("permission" in access ? [access.permission] : [])),
  );
  context.principals = await principalsFor(
    context.fixtures,
    context.tokens,
    server.container.get<PermissionCatalog>(Permissions).all.filter((name) => required.has(name)),
  );
});

matrix.after(async ({ server }) => {
  await server.stop();
});

matrix("every route has a rule, and every rule a route", ({ endpoints, rules }) => {
  const unruled = [...new Set(endpoints.filter((e) => rules[e.key] === undefined).map((e) => e.key))];
  const served = new Set(endpoints.map((e) => e.key));
  const stale = Object.keys(rules).filter((key) => !served.has(key));
  const problems = [
    ...unruled.map((key) => `add a rule for ${key} to its context's *.access.ts`),
    ...stale.map((key) => `the rule for ${key} matches no route: remove it or fix its key`),
  ];
  assert.ok(problems.length === 0, problems.join("\n"));
});

matrix(
  "the forged tokens are refused only for their flaw: the same token unflawed is accepted",
  async ({ server, fixtures, tokens }) => {
    const valid = await forgeToken(tokens, fixtures.admin.id, "none");
    const res = await call(`${server.url}/api/v1/users`, { headers: bearer(valid) });
    assert.is(res.status, 200, JSON.stringify(res.body));
  },
);

matrix("every route × principal answers as the route's rule says", async (context) => {
  const { server, endpoints, fixtures, principals, rules } = context;
  const failures: string[] = [];
  let cells = 0;
  for (const endpoint of endpoints) {
    const rule = rules[endpoint.key];
    if (rule === undefined) continue; // reported by the coverage test
    for (const principal of principals) {
      const expected = expectedStatus(rule.access, principal, endpoint.success);
      const sample = await rule.sample({ fixtures, version: endpoint.version });
      const res = await send(server, endpoint, sample, principal.headers(rule.access));
      cells++;
      if (res.status >= 200 && res.status < 300) sample.succeeded?.();
      const problem = mismatch(res, expected, endpoint, principal);
      if (problem !== undefined)
        failures.push(`${endpoint.method} ${endpoint.path} × ${principal.name}: ${problem}`);
    }
  }
  assert.ok(
    failures.length === 0,
    `${failures.length} of ${cells} cells disagree with their rule:\n${failures.join("\n")}`,
  );
  assert.ok(cells > 0, "the matrix ran no cell");
});

matrix.run();
