import { type Kysely, sql } from "kysely";
import * as assert from "uvu/assert";
import type { VersionedRoutes } from "../../../src/bootstrap/modules/http-module.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { MAX_STOCK } from "../../../src/domain/product/quantity.js";
import { MAX_AMOUNT_MINOR } from "../../../src/domain/shared/money.js";
import { asAdmin, bearer, registerAndSignIn } from "../../support/auth.js";
import { DRIVERS, type Driver, driverDecisions } from "../../support/persistence.js";
import { createTestSchema, type TestSchema } from "../../support/postgres.js";
import { startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";
import {
  type Answer,
  type BadRequest,
  leaves,
  OUT_OF_RANGE,
  objects,
  recordPasswords,
  replaced,
  send,
  spliced,
  UNSTORABLE,
  withField,
} from "./bad-input-requests.js";

/**
 * Bad input, the same on every driver. Every route of the route table gets its valid sample request
 * mutated every way a client can get it wrong — text PostgreSQL cannot keep, numbers beyond the
 * columns, wrong types, unknown fields and query parameters, bodies that are not objects or not
 * UTF-8, unknown methods — plus the business rules each route checks, and every answer must be the
 * expected 4xx in the envelope, never a 5xx, never a stack trace, never a password sent back. The
 * whole run is repeated on memory, PGlite and PostgreSQL; the last suite checks that the three gave
 * the same answers, and each driver's suite that nothing stored changed under the refusals.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Caller = "admin" | "subject";

interface Fixtures {
  readonly server: TestServer;
  readonly schema: TestSchema | undefined;
  readonly headers: Readonly<Record<Caller, Record<string, string>>>;
  /** The product `/products/:id` routes are about. */
  readonly product: string;
  /** The account `/users/:id` routes are about, and one API key of it. */
  readonly subject: string;
  readonly key: string;
}

const PASSWORD = "the subject's own passphrase";
const FAR_FUTURE = "2100-01-01T00:00:00Z";

// ---------------------------------------------------------------------------------------------
// The route table, and one valid request per route

interface Route {
  readonly version: string;
  readonly method: string;
  /** Below the version prefix, e.g. `/products/:id`. */
  readonly template: string;
  /** `METHOD template`, the same in every version: the key of its sample. */
  readonly key: string;
  readonly takesBody: boolean;
}

function routeTable(server: TestServer): Route[] {
  return server.container.getAll<VersionedRoutes>(Tokens.ApiRoutes).flatMap(({ version, routes }) =>
    routes.map((route) => ({
      version,
      method: route.method,
      template: route.path,
      key: `${route.method} ${route.path}`,
      takesBody: route.body !== undefined,
    })),
  );
}

/** A request each route accepts, per version; the cases below each break one thing in it. */
interface Sample {
  readonly as: Caller;
  readonly json?: (version: string) => Json;
  readonly query?: (version: string) => Record<string, string>;
}

const byVersion =
  <T>(v1: T, v2: T) =>
  (version: string): T =>
    version === "v2" ? v2 : v1;

const SAMPLES: Readonly<Record<string, Sample>> = {
  "GET /products/:id/stock-history": { as: "admin" },
  "GET /products": {
    as: "admin",
    query: byVersion(
      {
        name: "oak",
        min_price: "100",
        max_price: "20000",
        page: "1",
        page_size: "10",
        sort: "price",
        order: "asc",
      },
      {
        name: "oak",
        min_price: "1.00",
        max_price: "200.00",
        page: "1",
        page_size: "10",
        sort: "price",
        order: "asc",
      },
    ),
  },
  "GET /products/:id": { as: "admin" },
  "POST /products": {
    as: "admin",
    json: byVersion<Json>(
      { name: "Pine stool", sku: "ST-1", price: 4999, currency: "EUR", stock: 3 },
      { name: "Pine stool", sku: "ST-1", price: { amount: "49.99", currency: "EUR" }, stock: 3 },
    ),
  },
  "PUT /products/:id/name": { as: "admin", json: () => ({ name: "Walnut chair" }) },
  "PUT /products/:id/price": {
    as: "admin",
    json: byVersion<Json>({ price: 9999, currency: "EUR" }, { price: { amount: "99.99", currency: "EUR" } }),
  },
  "POST /products/:id/stock-adjustments": { as: "admin", json: () => ({ delta: 3, reason: "delivery" }) },
  "POST /users": {
    as: "admin",
    json: byVersion<Json>(
      {
        email: "new@example.com",
        password: "a new person's passphrase",
        given_name: "Ada",
        family_name: "Lovelace",
      },
      {
        email: "new@example.com",
        password: "a new person's passphrase",
        name: { given: "Ada", family: "Lovelace" },
      },
    ),
  },
  "GET /users/me": { as: "admin" },
  "GET /users": {
    as: "admin",
    query: () => ({
      email: "example",
      role: "admin",
      active: "true",
      page: "1",
      page_size: "10",
      sort: "email",
      order: "asc",
    }),
  },
  "GET /users/:id": { as: "admin" },
  "PUT /users/:id/profile": {
    as: "admin",
    json: byVersion<Json>(
      { given_name: "Grace", family_name: "Hopper" },
      { name: { given: "Grace", family: "Hopper" } },
    ),
  },
  "PUT /users/:id/password": {
    as: "subject",
    json: () => ({ current_password: PASSWORD, new_password: "a different long passphrase" }),
  },
  "PUT /users/:id/roles": { as: "admin", json: () => ({ roles: ["catalog-manager"] }) },
  "POST /users/:id/deactivation": { as: "admin" },
  "POST /users/:id/api-keys": {
    as: "subject",
    json: () => ({ name: "ci key", permissions: [], expires_at: FAR_FUTURE }),
  },
  "GET /users/:id/api-keys": { as: "subject" },
  "DELETE /users/:id/api-keys/:keyId": { as: "subject" },
  // The order routes' `:id` is the subject's account id, an order nobody has: every case here is
  // refused before anything is looked up.
  "POST /orders": {
    as: "subject",
    json: () => ({
      lines: [{ product_id: "0b6f7d8e-3c1a-4f5e-9a2b-1c2d3e4f5a6b", quantity: 2 }],
      shipping_address: {
        name: "Ada Lovelace",
        lines: ["12 St James's Sq"],
        city: "London",
        postal_code: "SW1Y 4JH",
        country: "GB",
      },
    }),
  },
  "GET /orders": {
    as: "subject",
    query: () => ({ status: "placed", sort: "total", order: "desc", page: "1", page_size: "10" }),
  },
  "GET /orders/summary": { as: "subject" },
  "GET /orders/:id": { as: "subject" },
  "POST /orders/:id/cancel": { as: "subject", json: () => ({ reason: "changed my mind" }) },
  "POST /orders/:id/payment": { as: "subject" },
  "POST /orders/:id/ship": { as: "admin" },
  "POST /orders/:id/deliver": { as: "admin" },
  "GET /admin/orders": {
    as: "admin",
    query: () => ({
      customer_id: "5a1b2c3d-0000-4000-8000-00000000abcd",
      status: "paid",
      page: "1",
      page_size: "10",
    }),
  },
  "GET /customers/:id/order-summary": { as: "subject" },
};

/** The route's path with its parameters filled from the fixtures (or as given). */
function pathOf(route: Route, f: Fixtures, params: Readonly<Record<string, string>> = {}): string {
  const id = route.template.startsWith("/products") ? f.product : f.subject;
  const filled = route.template.replace(":keyId", params.keyId ?? f.key).replace(":id", params.id ?? id);
  return `/api/${route.version}${filled}`;
}

function queryString(pairs: readonly (readonly [string, string])[]): string {
  return pairs.length === 0 ? "" : `?${new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, v]))}`;
}

// ---------------------------------------------------------------------------------------------
// Cases

interface Expected {
  readonly status: number;
  readonly code?: string;
  /** The error paths, in any order; checked exactly when given. */
  readonly paths?: readonly string[];
  readonly message?: RegExp;
}

interface Case {
  readonly name: string;
  readonly request: BadRequest;
  readonly expected: Expected;
}

const invalid = (...paths: string[]): Expected => ({ status: 400, code: "VALIDATION_FAILED", paths });
const refused = (code: string, ...paths: string[]): Expected => ({ status: 422, code, paths });

const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/** Every way to break one route's sample request that the route table alone tells. */
function generatedCases(route: Route, f: Fixtures): Case[] {
  const sample = SAMPLES[route.key];
  if (sample === undefined) return [];
  const headers = f.headers[sample.as];
  const path = pathOf(route, f);
  const query = Object.entries(sample.query?.(route.version) ?? {});
  const json = sample.json?.(route.version);
  const cases: Case[] = [];
  const add = (label: string, request: Omit<BadRequest, "method" | "headers">, expected: Expected) =>
    cases.push({
      name: `${route.version} ${route.key}: ${label}`,
      request: { method: route.method, headers, ...(json === undefined ? {} : { json }), ...request },
      expected,
    });

  // Query parameters: one the route does not declare, each declared one with a NUL, or twice.
  add(
    "an unknown query parameter",
    { path: `${path}${queryString([...query, ["extra", "1"]])}` },
    invalid("query.extra"),
  );
  for (const [name, value] of query) {
    const others = query.filter(([other]) => other !== name);
    add(
      `NUL in query.${name}`,
      { path: `${path}${queryString([...others, [name, spliced(value, "\u0000")]])}` },
      invalid(`query.${name}`),
    );
    add(
      `query.${name} twice`,
      { path: `${path}${queryString([...query, [name, value]])}` },
      invalid(`query.${name}`),
    );
  }

  // Path parameters: NUL instead of the id.
  for (const param of route.template.match(/:\w+/g) ?? []) {
    const name = param.slice(1);
    add(`NUL as params.${name}`, { path: pathOf(route, f, { [name]: "%00" }) }, invalid(`params.${name}`));
  }

  if (!WITH_BODY.has(route.method)) return cases;
  if (json === undefined) {
    // A route that declares no body accepts none but an empty object.
    add("a body field on a route without a body", { path, json: { extra: 1 } }, invalid("body.extra"));
    add("an array as the body of a route without one", { path, json: [] }, invalid("body"));
    return cases;
  }

  for (const leaf of leaves(json)) {
    if (typeof leaf.value === "string") {
      for (const [label, bad] of Object.entries(UNSTORABLE)) {
        add(
          `${label} in ${leaf.path}`,
          { path, json: replaced(json, leaf.at, spliced(leaf.value, bad)) },
          invalid(leaf.path),
        );
      }
      add(`a number as ${leaf.path}`, { path, json: replaced(json, leaf.at, 123) }, invalid(leaf.path));
    }
    if (typeof leaf.value === "number") {
      for (const [label, number] of Object.entries(OUT_OF_RANGE)) {
        add(`${label} as ${leaf.path}`, { path, json: replaced(json, leaf.at, number) }, invalid(leaf.path));
      }
      // JSON.parse reads 1e400 as Infinity.
      add(
        `1e400 as ${leaf.path}`,
        { path, raw: JSON.stringify(replaced(json, leaf.at, "__huge__")).replace('"__huge__"', "1e400") },
        invalid(leaf.path),
      );
      add(`text as ${leaf.path}`, { path, json: replaced(json, leaf.at, "1") }, invalid(leaf.path));
    }
  }
  for (const [key, value] of Object.entries(json as Record<string, Json>)) {
    if (Array.isArray(value))
      add(`text as body.${key}`, { path, json: replaced(json, [key], "x") }, invalid(`body.${key}`));
  }
  for (const at of objects(json)) {
    for (const key of ["extra", "__proto__", "constructor"]) {
      add(`unknown field ${at}.${key}`, { path, json: withField(json, at, key, 1) }, invalid(`${at}.${key}`));
    }
  }
  add("an array as the body", { path, json: [] }, invalid("body"));
  add("null as the body", { path, raw: "null" }, invalid("body"));
  add(
    "a body that is not UTF-8 (a surrogate encoded as bytes)",
    {
      path,
      raw: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    },
    { status: 400, code: "MALFORMED_JSON" },
  );
  return cases;
}

/** Methods no route takes: 405 with Allow at a path the table serves, 501 for one keel serves nowhere. */
function methodCases(table: readonly Route[], f: Fixtures): Case[] {
  const cases: Case[] = [];
  // Named by template: the ids differ from one driver's fixtures to the next.
  const paths = new Map<string, string>();
  for (const route of table) paths.set(pathOf(route, f), `/api/${route.version}${route.template}`);
  for (const [path, template] of paths) {
    for (const method of ["TRACE", "PROPFIND", "QUERY", "LOCK"]) {
      cases.push({
        name: `${method} ${template}`,
        request: { method, path },
        expected: { status: 405, code: "METHOD_NOT_ALLOWED" },
      });
    }
    cases.push({
      name: `OPTIONS ${template}`,
      request: { method: "OPTIONS", path },
      expected: { status: 204 },
    });
  }
  for (const method of ["TRACE", "PROPFIND", "QUERY"]) {
    cases.push({
      name: `${method} on an unknown path`,
      request: { method, path: "/api/v1/nowhere" },
      expected: { status: 501, code: "NOT_IMPLEMENTED" },
    });
  }
  return cases;
}

/** The methods a concrete path is served with, by the route table: what its Allow must list. */
function allowedAt(table: readonly Route[], path: string): string[] {
  const methods = new Set(["OPTIONS"]);
  for (const route of table) {
    const pattern = new RegExp(`^/api/${route.version}${route.template.replace(/:\w+/g, "[^/]+")}$`);
    if (!pattern.test(path)) continue;
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
  }
  return [...methods].sort();
}

/**
 * Business rules, which the route table cannot tell: each names its route by key, and is checked
 * to exist in the table for every version it runs in.
 */
function ruleCases(table: readonly Route[], f: Fixtures): Case[] {
  const cases: Case[] = [];
  for (const version of ["v1", "v2"]) {
    const at = (key: string, as: Caller = "admin") => {
      const route = table.find((r) => r.version === version && r.key === key);
      if (route === undefined) throw new Error(`no route ${version} ${key}`);
      return { method: route.method, path: pathOf(route, f), headers: f.headers[as] };
    };
    const rule = (name: string, request: BadRequest, expected: Expected) =>
      cases.push({ name: `${version} ${request.method} ${name}`, request, expected });
    const v1 = version === "v1";
    const price = (amount: string, currency = "EUR") => ({ price: { amount, currency } });

    // Stock: the domain bounds stock on hand; two deliveries of MAX_STOCK are both refused.
    const adjust = at("POST /products/:id/stock-adjustments");
    const delivery = { delta: MAX_STOCK, reason: "delivery" };
    rule("stock beyond MAX_STOCK, once", { ...adjust, json: delivery }, refused("STOCK_LIMIT_EXCEEDED"));
    rule("stock beyond MAX_STOCK, twice", { ...adjust, json: delivery }, refused("STOCK_LIMIT_EXCEEDED"));
    rule(
      "a delta beyond MAX_STOCK",
      { ...adjust, json: { ...delivery, delta: MAX_STOCK + 1 } },
      invalid("body.delta"),
    );
    rule(
      "a blank reason",
      { ...adjust, json: { delta: 1, reason: "   " } },
      refused("INVALID_VALUE", "body.reason"),
    );
    const create = at("POST /products");
    const product = SAMPLES["POST /products"]?.json?.(version) as Record<string, Json>;
    rule(
      "initial stock beyond MAX_STOCK",
      { ...create, json: { ...product, stock: MAX_STOCK + 1 } },
      invalid("body.stock"),
    );
    rule(
      "a malformed SKU",
      { ...create, json: { ...product, sku: "A--B" } },
      refused("INVALID_VALUE", "body.sku"),
    );
    rule(
      "a blank name",
      { ...at("PUT /products/:id/name"), json: { name: "   " } },
      refused("INVALID_VALUE", "body.name"),
    );

    // Prices: one bound, MAX_AMOUNT_MINOR, in both spellings.
    const reprice = at("PUT /products/:id/price");
    if (v1) {
      rule(
        "a price beyond MAX_AMOUNT_MINOR",
        { ...reprice, json: { price: MAX_AMOUNT_MINOR + 1, currency: "EUR" } },
        invalid("body.price"),
      );
      rule(
        "an unsupported currency",
        { ...reprice, json: { price: 100, currency: "XXX" } },
        refused("INVALID_VALUE", "body.currency"),
      );
    } else {
      for (const amount of ["90071992547409.91", "10000000000.01", "1.001", "1e3", "-1"]) {
        rule(`the amount ${amount}`, { ...reprice, json: price(amount) }, invalid("body.price.amount"));
      }
      rule(
        "an unsupported currency",
        { ...reprice, json: price("1.00", "XXX") },
        refused("INVALID_VALUE", "body.price.currency"),
      );
    }

    // The listing's price filters, in each version's spelling, and min <= max.
    const list = at("GET /products");
    const [low, high] = v1 ? ["100", "500"] : ["1.00", "5.00"];
    rule(
      "min_price above max_price",
      { ...list, path: `${list.path}?min_price=${high}&max_price=${low}` },
      refused("INVALID_VALUE", "query.min_price"),
    );
    rule(
      "a price filter in the other version's spelling",
      { ...list, path: `${list.path}?min_price=${v1 ? "19.99" : "19.999"}` },
      invalid("query.min_price"),
    );
    rule(
      "lone-surrogate bytes in a filter (decoded as U+FFFD, storable)",
      { ...list, path: `${list.path}?name=%ED%A0%80` },
      { status: 200, code: "OK" },
    );

    // The deepest page there can be is an empty page on every driver, not an overflow.
    const deepest = "?page=1000000&page_size=100";
    rule(
      "the last page of products",
      { ...list, path: `${list.path}${deepest}` },
      { status: 200, code: "OK" },
    );
    const users = at("GET /users");
    rule(
      "the last page of users",
      { ...users, path: `${users.path}${deepest}` },
      { status: 200, code: "OK" },
    );

    // Accounts.
    const register = at("POST /users");
    const person = SAMPLES["POST /users"]?.json?.(version) as Record<string, Json>;
    rule(
      "a blank given name",
      {
        ...register,
        json: v1 ? { ...person, given_name: "  " } : { ...person, name: { given: "  ", family: "Lovelace" } },
      },
      {
        ...refused("INVALID_VALUE", v1 ? "body.given_name" : "body.name.given"),
        message: v1 ? /^given_name must not be blank$/ : /^name\.given must not be blank$/,
      },
    );
    rule(
      "a password below the policy",
      { ...register, json: { ...person, password: "short" } },
      refused("INVALID_VALUE", "body.password"),
    );
    rule(
      "an e-mail that is not an address",
      { ...register, json: { ...person, email: "not-an-address" } },
      refused("INVALID_VALUE", "body.email"),
    );
    rule(
      "a blank family name",
      {
        ...at("PUT /users/:id/profile"),
        json: v1 ? { given_name: "A", family_name: " " } : { name: { given: "A", family: " " } },
      },
      refused("INVALID_VALUE", v1 ? "body.family_name" : "body.name.family"),
    );
    const password = at("PUT /users/:id/password", "subject");
    rule(
      "a wrong current password",
      {
        ...password,
        json: { current_password: "not the passphrase", new_password: "a different long passphrase" },
      },
      refused("INVALID_VALUE", "body.current_password"),
    );
    rule(
      "a new password below the policy",
      { ...password, json: { current_password: PASSWORD, new_password: "short" } },
      refused("INVALID_VALUE", "body.new_password"),
    );

    // Roles: only those AUTH__ROLE_PERMISSIONS defines.
    const roles = at("PUT /users/:id/roles");
    rule(
      "an undefined role",
      { ...roles, json: { roles: ["wizard"] } },
      { ...refused("INVALID_VALUE", "body.roles"), message: /wizard is not/ },
    );
    rule(
      "a defined and an undefined role",
      { ...roles, json: { roles: ["admin", "superuser"] } },
      { ...refused("INVALID_VALUE", "body.roles"), message: /superuser is not/ },
    );

    // API keys: expiry within years 0001-9999 (codec), and in the future (rule).
    const key = at("POST /users/:id/api-keys", "subject");
    const newKey = { name: "ci key", permissions: [] };
    for (const expiry of ["+010000-01-01T00:00:00Z", "0000-12-31T00:00:00Z", "2030-02-30T00:00:00Z"]) {
      rule(
        `expires_at ${expiry}`,
        { ...key, json: { ...newKey, expires_at: expiry } },
        invalid("body.expires_at"),
      );
    }
    rule(
      "expires_at in the past",
      { ...key, json: { ...newKey, expires_at: "2001-01-01T00:00:00Z" } },
      {
        ...refused("INVALID_VALUE", "body.expires_at"),
        message: /^expires_at must be in the future$/,
      },
    );
    rule(
      "an unknown permission",
      { ...key, json: { ...newKey, permissions: ["product:wrtie"] } },
      refused("INVALID_VALUE", "body.permissions"),
    );
    rule(
      "a blank key name",
      { ...key, json: { ...newKey, name: "  " } },
      refused("INVALID_VALUE", "body.name"),
    );
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Answers

/** What the drivers must agree on. */
interface Outcome {
  readonly status: number;
  readonly code: string | undefined;
  readonly paths: readonly string[];
  readonly allow?: string;
}

const ENVELOPE_KEYS = new Set(["code", "message", "errors", "requestId", "data"]);

/**
 * Every answer: never a 5xx (but the 501 that names a method keel serves nowhere), the envelope and
 * nothing else in it, no stack trace, no password sent back.
 */
function checkAnswer(name: string, request: BadRequest, answer: Answer, expected: Expected): Outcome {
  const chosen501 = answer.status === 501 && expected.status === 501;
  assert.ok(answer.status < 500 || chosen501, `${name}: ${answer.status} ${answer.text}`);
  assert.not.match(answer.text, /\n\s+at |"stack"|node_modules/, `${name}: a stack trace in ${answer.text}`);
  for (const password of passwordsIn(request.json))
    assert.not.ok(answer.text.includes(password), `${name}: the password came back`);
  if (answer.status === 204 || answer.status === 304) {
    assert.is(answer.text, "", `${name}: a ${answer.status} has no body`);
    return { status: answer.status, code: undefined, paths: [] };
  }
  assert.type(answer.body, "object", `${name}: not a JSON envelope: ${answer.text}`);
  for (const key of Object.keys(answer.body))
    assert.ok(ENVELOPE_KEYS.has(key), `${name}: ${key} in the envelope`);
  assert.type(answer.body.code, "string", name);
  assert.type(answer.body.message, "string", name);
  if (answer.status >= 400) assert.type(answer.body.requestId, "string", name);
  const paths = ((answer.body.errors ?? []) as { path: string }[]).map((error) => error.path).sort();
  const allow = answer.headers.allow;
  return {
    status: answer.status,
    code: answer.body.code,
    paths,
    ...(typeof allow === "string" ? { allow } : {}),
  };
}

function passwordsIn(json: unknown): string[] {
  if (typeof json !== "object" || json === null) return [];
  return Object.entries(json)
    .filter(([key, value]) => /password/.test(key) && typeof value === "string" && value.length >= 8)
    .map(([, value]) => value as string);
}

function checkExpected(name: string, expected: Expected, outcome: Outcome, answer: Answer): void {
  const shown = `${name}: ${answer.status} ${answer.text}`;
  assert.is(outcome.status, expected.status, shown);
  if (expected.code !== undefined) assert.is(outcome.code, expected.code, shown);
  if (expected.paths !== undefined) assert.equal(outcome.paths, [...expected.paths].sort(), shown);
  if (expected.message !== undefined) {
    assert.match(answer.body.message, expected.message, shown);
    for (const error of answer.body.errors ?? []) assert.match(error.message, expected.message, shown);
  }
  // A refusal that names a field names it as the client sent it, part prefix included.
  for (const path of outcome.paths) assert.match(path, /^(body|query|params)(\.|$)/, shown);
}

/** Sends each case and checks its answer; returns the outcomes by case name. */
async function run(
  f: Fixtures,
  cases: readonly Case[],
  extra?: (c: Case, a: Answer) => void,
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  for (const c of cases) {
    assert.not.ok(outcomes.has(c.name), `two cases are named ${c.name}`);
    recordPasswords(c.request.json);
    const answer = await send(f.server.url, c.request);
    const outcome = checkAnswer(c.name, c.request, answer, c.expected);
    checkExpected(c.name, c.expected, outcome, answer);
    extra?.(c, answer);
    outcomes.set(c.name, outcome);
  }
  return outcomes;
}

// ---------------------------------------------------------------------------------------------
// Fixtures and what is stored

async function fixtures(driver: Driver): Promise<Fixtures> {
  const schema = driver === "postgres" ? await createTestSchema() : undefined;
  const server = await startTestServer({
    env: {
      PERSISTENCE__DRIVER: driver,
      PGLITE__DATA_DIR: "memory://",
      ...(schema ? { DATABASE__URL: schema.url } : {}),
      // Hundreds of requests from one address, several to password-hashing routes.
      RATE_LIMIT__ENABLED: "false",
    },
  });
  const admin = await asAdmin(server.url);
  const subject = await registerAndSignIn(server.url, `subject-${driver}@example.com`, PASSWORD);
  const subjectHeaders = bearer(subject.accessToken);
  const product = await send(server.url, {
    method: "POST",
    path: "/api/v1/products",
    headers: admin,
    json: { name: "Oak chair", sku: "CH-1", price: 12999, currency: "EUR", stock: 5 },
  });
  assert.is(product.status, 201, product.text);
  const key = await send(server.url, {
    method: "POST",
    path: `/api/v1/users/${subject.userId}/api-keys`,
    headers: subjectHeaders,
    json: { name: "kept key", permissions: [] },
  });
  assert.is(key.status, 201, key.text);
  return {
    server,
    schema,
    headers: { admin, subject: subjectHeaders },
    product: product.body.data.id,
    subject: subject.userId,
    key: key.body.data.id,
  };
}

/** What the refusals must leave as it was: the product, the accounts, the keys, the totals. */
async function stored(f: Fixtures): Promise<unknown> {
  const read = async (path: string, as: Caller = "admin") => {
    const answer = await send(f.server.url, { method: "GET", path, headers: f.headers[as] });
    assert.is(answer.status, 200, `${path}: ${answer.text}`);
    return { data: answer.body.data, etag: answer.headers.etag };
  };
  return {
    product: await read(`/api/v1/products/${f.product}`),
    products: (await read("/api/v1/products?page_size=100")).data,
    subject: await read(`/api/v2/users/${f.subject}`),
    admin: await read("/api/v1/users/me"),
    users: (await read("/api/v1/users?page_size=100")).data,
    keys: (await read(`/api/v1/users/${f.subject}/api-keys`, "subject")).data,
  };
}

// ---------------------------------------------------------------------------------------------
// One suite per driver, then one comparing them

const decisions = await driverDecisions();
const outcomes = new Map<Driver, Map<string, Outcome>>();

for (const driver of DRIVERS) {
  const decision = decisions[driver];
  const s = suite<{ f?: Fixtures; before?: unknown }>(`bad input [${driver}]`);
  const it = (title: string, body: (f: Fixtures, context: { before?: unknown }) => Promise<void>) => {
    const test = async (context: { f?: Fixtures; before?: unknown }) => {
      if (context.f === undefined) throw new Error("fixtures not made");
      await body(context.f, context);
    };
    if (decision.run) s(title, test);
    else s.skip(title, test);
  };
  if (decision.run) {
    s.before(async (context) => {
      context.f = await fixtures(driver);
      context.before = await stored(context.f);
    });
    s.after(async ({ f }) => {
      await f?.server.stop();
      await f?.schema?.drop();
    });
  } else {
    console.log(`  bad input [${driver}] skipped: ${decision.reason}`);
  }
  const mine = new Map<string, Outcome>();
  outcomes.set(driver, mine);
  const keep = (found: Map<string, Outcome>) => {
    for (const [name, outcome] of found) mine.set(name, outcome);
  };

  it("every route of the table has a sample request, and every sample a route", async ({ server }) => {
    const table = routeTable(server);
    const keys = new Set(table.map((route) => route.key));
    assert.equal(
      [...keys].filter((key) => SAMPLES[key] === undefined),
      [],
      "routes without a sample",
    );
    const bodies = table.filter((route) => route.takesBody !== (SAMPLES[route.key]?.json !== undefined));
    assert.equal(
      bodies.map((route) => route.key),
      [],
      "a sample body where the route takes none, or none where it does",
    );
    assert.equal(
      Object.keys(SAMPLES).filter((key) => !keys.has(key)),
      [],
      "samples without a route",
    );
  });

  it("every route refuses every malformed variant of its sample with a 400 naming what is wrong", async (f) => {
    const cases = routeTable(f.server).flatMap((route) => generatedCases(route, f));
    assert.ok(cases.length > 400, `only ${cases.length} cases`);
    keep(await run(f, cases));
  });

  it("every route refuses what its business rules refuse with a 422 in the client's spelling", async (f) => {
    keep(await run(f, ruleCases(routeTable(f.server), f)));
  });

  it("methods no route takes: 405 with Allow at a known path, 501 elsewhere, 204 for OPTIONS", async (f) => {
    const table = routeTable(f.server);
    const logged = f.server.log.lines().length;
    keep(
      await run(f, methodCases(table, f), (c, answer) => {
        if (answer.status === 501) return;
        const allowed = allowedAt(table, c.request.path);
        assert.equal(
          String(answer.headers.allow ?? "")
            .split(", ")
            .sort(),
          allowed,
          `${c.name}: Allow`,
        );
        if (answer.status === 204)
          assert.is(answer.headers["content-type"], undefined, `${c.name}: no body type`);
      }),
    );
    const lines = f.server.log.lines().slice(logged);
    const loud = lines.filter((line) => (line.level as number) > 30);
    assert.equal(loud, [], "logged above info");
  });

  it("after every refusal, nothing stored has changed", async (f, context) => {
    assert.equal(await stored(f), context.before);
  });

  it("the bounds hold at their edge: MAX_STOCK on hand, MAX_AMOUNT_MINOR in either version", async (f) => {
    const admin = f.headers.admin;
    const call = (name: string, request: BadRequest, expected: Expected) =>
      run(f, [{ name: `edge: ${name}`, request: { headers: admin, ...request }, expected }]).then(keep);
    const created = await send(f.server.url, {
      method: "POST",
      path: "/api/v1/products",
      headers: admin,
      json: { name: "Bulk screws", sku: "SCREW-1", price: 1, currency: "EUR", stock: 5 },
    });
    assert.is(created.status, 201, created.text);
    const base = `/api/v1/products/${created.body.data.id}`;
    const v2 = `/api/v2/products/${created.body.data.id}`;
    await call(
      "stock up to MAX_STOCK",
      { method: "POST", path: `${base}/stock-adjustments`, json: { delta: MAX_STOCK - 5, reason: "count" } },
      { status: 200, code: "OK" },
    );
    await call(
      "one more unit",
      { method: "POST", path: `${base}/stock-adjustments`, json: { delta: 1, reason: "count" } },
      refused("STOCK_LIMIT_EXCEEDED"),
    );
    await call(
      "the largest v2 price",
      { method: "PUT", path: `${v2}/price`, json: { price: { amount: "10000000000.00", currency: "EUR" } } },
      { status: 200, code: "OK" },
    );
    const read = await send(f.server.url, { method: "GET", path: base });
    assert.equal([read.body.data.stock, read.body.data.price], [MAX_STOCK, MAX_AMOUNT_MINOR]);
    // What v2 set, v1 can set again: one bound, two spellings.
    await call(
      "v1 sets v2's largest price again",
      { method: "PUT", path: `${base}/price`, json: { price: read.body.data.price, currency: "EUR" } },
      { status: 200, code: "OK" },
    );
    const found = await send(f.server.url, {
      method: "GET",
      path: "/api/v2/products?min_price=10000000000.00",
    });
    assert.equal(
      found.body.data.items.map((p: { id: string }) => p.id),
      [created.body.data.id],
    );
  });

  it("the schema holds the domain's bounds too (CHECK constraints)", async (f) => {
    if (driver === "memory") return; // no schema; the domain's bounds are all there is
    const db = f.server.container.get<Kysely<unknown>>(Tokens.Database);
    const violation = async (statement: ReturnType<typeof sql>) => {
      try {
        await statement.execute(db);
      } catch (error) {
        return (error as { constraint?: string }).constraint;
      }
      return assert.unreachable("the row was stored beyond the bound") as never;
    };
    const id = f.product;
    assert.is(
      await violation(sql`update products set on_hand = ${MAX_STOCK + 1} where id = ${id}`),
      "products_on_hand_max",
    );
    assert.is(
      await violation(sql`update products set price_minor = ${MAX_AMOUNT_MINOR + 1} where id = ${id}`),
      "products_price_max",
    );
    const { rows } = await sql<{ definition: string }>`
      select pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = 'products'::regclass and conname = 'products_reserved_max'`.execute(
      db,
    );
    assert.equal(
      rows.map((row) => row.definition),
      [`CHECK ((reserved <= ${MAX_STOCK}))`],
    );
  });

  s.run();
}

const same = suite("bad input: the same answers on every driver");
same("every case got the same status, code, error paths and Allow on every driver that ran", () => {
  const [first, ...others] = DRIVERS.filter((driver) => decisions[driver].run);
  if (first === undefined) return;
  const reference = outcomes.get(first) ?? new Map();
  assert.ok(reference.size > 0, `${first} answered nothing`);
  for (const driver of others) {
    const mine = outcomes.get(driver) ?? new Map();
    assert.equal([...mine.keys()].sort(), [...reference.keys()].sort(), `${driver}: other cases`);
    for (const [name, outcome] of reference) assert.equal(mine.get(name), outcome, `${driver}: ${name}`);
  }
});
same.run();
