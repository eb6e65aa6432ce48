import * as assert from "uvu/assert";
import type { VersionedRoutes } from "../../../src/bootstrap/modules/http-module.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { asAdmin, bearer, registerAndSignIn } from "../../support/auth.js";
import { call, type JsonResponse, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

/**
 * Conditional requests over HTTP, against a listening server: ETag and If-None-Match on reads of one
 * resource, If-Match on every write to one, and Location on every 201. Run once per persistence
 * driver, since the version check rides on each driver's transactions.
 */

const DRIVERS = {
  memory: {},
  pglite: { PERSISTENCE__DRIVER: "pglite", PGLITE__DATA_DIR: "memory://" },
} as const;

const PASSWORD = "a long enough passphrase";

type Init = Parameters<typeof call>[1];

/** A request as the bootstrap admin (product:write, user:read:any, user:write:any, user:manage). */
async function asAdminCall(url: string, init: Init = {}): Promise<JsonResponse> {
  return call(url, { ...init, headers: { ...(await asAdmin(new URL(url).origin)), ...init?.headers } });
}

function etagOf(res: JsonResponse): string {
  const tag = res.headers.get("etag");
  assert.ok(tag, `expected an ETag on ${res.status} ${JSON.stringify(res.body)}`);
  return tag;
}

let skus = 0;
async function createProduct(server: TestServer): Promise<string> {
  const res = await asAdminCall(`${server.url}/api/v1/products`, {
    method: "POST",
    json: { name: "Oak chair", sku: `CH-${++skus}`, price: 12999, currency: "EUR", stock: 5 },
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.data.id;
}

let people = 0;
async function registerUser(server: TestServer): Promise<{ id: string; accessToken: string }> {
  const account = await registerAndSignIn(server.url, `person-${++people}@example.com`, PASSWORD);
  return { id: account.userId, accessToken: account.accessToken };
}

/**
 * One write on one existing resource: how to make the resource, the write (as whom, with what body),
 * and a change someone else makes meanwhile, so that the first ETag read goes stale.
 */
interface ConditionalWrite {
  readonly name: string;
  readonly given: (
    server: TestServer,
  ) => Promise<{ readonly path: string; readonly selfHeaders: Record<string, string> }>;
  readonly method: "PUT" | "POST";
  readonly suffix: string;
  readonly json?: unknown;
  readonly by: "admin" | "self";
  readonly meanwhile: { readonly suffix: string; readonly json: unknown };
}

const productGiven = async (server: TestServer) => ({
  path: `/products/${await createProduct(server)}`,
  selfHeaders: {},
});
const userGiven = async (server: TestServer) => {
  const user = await registerUser(server);
  return { path: `/users/${user.id}`, selfHeaders: bearer(user.accessToken) };
};
const renamedMeanwhile = { suffix: "/name", json: { name: "Renamed meanwhile" } };
const profileChangedMeanwhile = {
  suffix: "/profile",
  json: { given_name: "Changed", family_name: "Meanwhile" },
};

const CONDITIONAL_WRITES: readonly ConditionalWrite[] = [
  {
    name: "product rename",
    given: productGiven,
    method: "PUT",
    suffix: "/name",
    json: { name: "Walnut chair" },
    by: "admin",
    meanwhile: { suffix: "/price", json: { price: 100, currency: "EUR" } },
  },
  {
    name: "price change",
    given: productGiven,
    method: "PUT",
    suffix: "/price",
    json: { price: 9999, currency: "EUR" },
    by: "admin",
    meanwhile: renamedMeanwhile,
  },
  {
    name: "stock adjustment",
    given: productGiven,
    method: "POST",
    suffix: "/stock-adjustments",
    json: { delta: 3, reason: "delivery" },
    by: "admin",
    meanwhile: renamedMeanwhile,
  },
  {
    name: "profile update",
    given: userGiven,
    method: "PUT",
    suffix: "/profile",
    json: { given_name: "Ada", family_name: "Lovelace" },
    by: "admin",
    meanwhile: { suffix: "/roles", json: { roles: ["catalog-manager"] } },
  },
  {
    name: "role assignment",
    given: userGiven,
    method: "PUT",
    suffix: "/roles",
    json: { roles: ["catalog-manager"] },
    by: "admin",
    meanwhile: profileChangedMeanwhile,
  },
  {
    name: "deactivation",
    given: userGiven,
    method: "POST",
    suffix: "/deactivation",
    by: "admin",
    meanwhile: profileChangedMeanwhile,
  },
  {
    name: "password change",
    given: userGiven,
    method: "PUT",
    suffix: "/password",
    json: { current_password: PASSWORD, new_password: "another long enough passphrase" },
    by: "self",
    meanwhile: profileChangedMeanwhile,
  },
];

for (const [driver, env] of Object.entries(DRIVERS)) {
  const api = suite<{ server: TestServer }>(`conditional requests (${driver})`);

  api.before(async (context) => {
    context.server = await startTestServer({ env });
  });
  api.after(async ({ server }) => {
    await server.stop();
  });

  api(
    "given a product, when read in v1 and in v2, then each answer carries its own strong ETag of the product's version",
    async ({ server }) => {
      const id = await createProduct(server);
      const v1 = await call(`${server.url}/api/v1/products/${id}`);
      const v2 = await call(`${server.url}/api/products/${id}`, { headers: { "X-API-Version": "v2" } });
      assert.is(etagOf(v1), `"v1:${id}:1"`);
      assert.is(etagOf(v2), `"v2:${id}:1"`);
      assert.is(v2.headers.get("vary")?.includes("X-API-Version"), true);
    },
  );

  api(
    "given a product's ETag, when read again with If-None-Match, then 304 with that ETag and no body",
    async ({ server }) => {
      const url = `${server.url}/api/v1/products/${await createProduct(server)}`;
      const tag = etagOf(await call(url));

      for (const ifNoneMatch of [tag, `W/${tag}`, `"v1:elsewhere:1", ${tag}`]) {
        const res = await call(url, { headers: { "If-None-Match": ifNoneMatch } });
        assert.is(res.status, 304, ifNoneMatch);
        assert.is(res.headers.get("etag"), tag);
        assert.is(res.body, "");
      }
      const head = await call(url, { method: "HEAD", headers: { "If-None-Match": tag } });
      assert.is(head.status, 304);
    },
  );

  api(
    "given a product changed since it was read, when read with the old ETag, then 200 with the new one",
    async ({ server }) => {
      const id = await createProduct(server);
      const url = `${server.url}/api/v1/products/${id}`;
      const old = etagOf(await call(url));
      await asAdminCall(`${url}/name`, { method: "PUT", json: { name: "Walnut chair" } });

      const res = await call(url, { headers: { "If-None-Match": old } });

      assert.is(res.status, 200);
      assert.is(res.body.data.name, "Walnut chair");
      assert.is(etagOf(res), `"v1:${id}:2"`);
    },
  );

  api(
    "given a product renamed since it was read, when renamed with the ETag first read, then 412 and nothing changes",
    async ({ server }) => {
      const url = `${server.url}/api/v1/products/${await createProduct(server)}`;
      const first = etagOf(await call(url));
      await asAdminCall(`${url}/name`, { method: "PUT", json: { name: "Walnut chair" } });

      const stale = await asAdminCall(`${url}/name`, {
        method: "PUT",
        headers: { "If-Match": first },
        json: { name: "Lost update" },
      });

      assert.is(stale.status, 412, JSON.stringify(stale.body));
      assert.is(stale.body.code, "PRECONDITION_FAILED");
      assert.match(stale.body.message, /is now at version 2/);
      assert.type(stale.body.requestId, "string");
      const after = await call(url);
      assert.equal([after.body.data.name, after.body.data.version], ["Walnut chair", 2]);
    },
  );

  api(
    "given a product's current ETag, when renamed with it, then 200 with the new ETag, which the next read answers with",
    async ({ server }) => {
      const id = await createProduct(server);
      const url = `${server.url}/api/v1/products/${id}`;
      const current = etagOf(await call(url));

      const renamed = await asAdminCall(`${url}/name`, {
        method: "PUT",
        headers: { "If-Match": current },
        json: { name: "Walnut chair" },
      });

      assert.is(renamed.status, 200, JSON.stringify(renamed.body));
      assert.is(etagOf(renamed), `"v1:${id}:2"`);
      assert.is(etagOf(await call(url)), etagOf(renamed));
      const again = await asAdminCall(`${url}/name`, {
        method: "PUT",
        headers: { "If-Match": current },
        json: { name: "Lost update" },
      });
      assert.is(again.status, 412, "the tag it replaced no longer matches");
    },
  );

  api(
    "given a product, when written with If-Match: *, then 200; given none, then 404 whatever If-Match says",
    async ({ server }) => {
      const url = `${server.url}/api/v1/products/${await createProduct(server)}`;
      const any = await asAdminCall(`${url}/name`, {
        method: "PUT",
        headers: { "If-Match": "*" },
        json: { name: "Walnut chair" },
      });
      assert.is(any.status, 200);

      const missing = `${server.url}/api/v1/products/7d1f0000-0000-4000-8000-000000000000/name`;
      for (const ifMatch of ["*", `"v1:7d1f0000-0000-4000-8000-000000000000:1"`]) {
        const res = await asAdminCall(missing, {
          method: "PUT",
          headers: { "If-Match": ifMatch },
          json: { name: "X" },
        });
        assert.is(res.status, 404, ifMatch);
      }
    },
  );

  api(
    "given a product's current tags, when If-Match holds its weak form or the other API version's tag, then 412 (strong comparison)",
    async ({ server }) => {
      const id = await createProduct(server);
      const v1Tag = etagOf(await call(`${server.url}/api/v1/products/${id}`));
      const v2Tag = etagOf(await call(`${server.url}/api/v2/products/${id}`));
      const rename = (version: string, ifMatch: string) =>
        asAdminCall(`${server.url}/api/${version}/products/${id}/name`, {
          method: "PUT",
          headers: { "If-Match": ifMatch },
          json: { name: "Walnut chair" },
        });

      assert.is((await rename("v1", `W/${v1Tag}`)).status, 412);
      assert.is((await rename("v1", v2Tag)).status, 412);
      const v2 = await rename("v2", `"v2:someone-else:1", ${v2Tag}`);
      assert.is(v2.status, 200, "a list matches when any of its tags does");
      assert.is(etagOf(v2), `"v2:${id}:2"`);
    },
  );

  for (const write of CONDITIONAL_WRITES) {
    api(
      `given a ${write.name} target read before someone else changed it, when written with that ETag, then 412; with the current one, then 200 and a new ETag`,
      async ({ server }) => {
        const admin = await asAdmin(server.url);
        const { path, selfHeaders } = await write.given(server);
        const url = `${server.url}/api/v1${path}`;
        const read = async () => etagOf(await call(url, { headers: admin }));
        const attempt = (ifMatch: string) =>
          call(`${url}${write.suffix}`, {
            method: write.method,
            headers: { ...(write.by === "admin" ? admin : selfHeaders), "If-Match": ifMatch },
            ...(write.json === undefined ? {} : { json: write.json }),
          });
        const first = await read();
        const meanwhile = await call(`${url}${write.meanwhile.suffix}`, {
          method: "PUT",
          headers: admin,
          json: write.meanwhile.json,
        });
        assert.is(meanwhile.status, 200, JSON.stringify(meanwhile.body));
        const current = await read();

        const stale = await attempt(first);
        assert.is(stale.status, 412, JSON.stringify(stale.body));
        assert.is(stale.body.code, "PRECONDITION_FAILED");
        assert.is(await read(), current, "a refused write changes nothing");

        const fresh = await attempt(current);
        assert.is(fresh.status, 200, JSON.stringify(fresh.body));
        assert.is.not(etagOf(fresh), current);
        assert.is(etagOf(fresh), await read());
      },
    );
  }

  api(
    "given an account, when it is read by id and as /users/me, then both carry its ETag and answer If-None-Match with 304",
    async ({ server }) => {
      const user = await registerUser(server);
      const self = bearer(user.accessToken);
      for (const version of ["v1", "v2"]) {
        const byId = await call(`${server.url}/api/${version}/users/${user.id}`, { headers: self });
        const me = await call(`${server.url}/api/${version}/users/me`, { headers: self });
        assert.is(etagOf(byId), `"${version}:${user.id}:1"`);
        assert.is(etagOf(me), etagOf(byId));
        const unchanged = await call(`${server.url}/api/${version}/users/me`, {
          headers: { ...self, "If-None-Match": etagOf(me) },
        });
        assert.is(unchanged.status, 304);
        assert.is(unchanged.headers.get("etag"), etagOf(me));
      }
    },
  );

  api(
    "when a product is created, then 201 with a Location in the API version used, which reads it",
    async ({ server }) => {
      const created = await asAdminCall(`${server.url}/api/products`, {
        method: "POST",
        headers: { "X-API-Version": "v2" },
        json: { name: "Tea", sku: "TEA-LOC", price: { amount: "4.50", currency: "GBP" }, stock: 1 },
      });
      assert.is(created.status, 201, JSON.stringify(created.body));
      const location = created.headers.get("location");
      assert.is(location, `/api/v2/products/${created.body.data.id}`);
      assert.is(etagOf(created), `"v2:${created.body.data.id}:1"`);

      const read = await call(new URL(location ?? "", server.url).href);
      assert.is(read.status, 200);
      assert.equal(read.body.data.price, { amount: "4.50", currency: "GBP" });
      assert.is(etagOf(read), etagOf(created));
    },
  );

  api("when someone registers, then 201 with a Location that reads the account", async ({ server }) => {
    const registered = await call(`${server.url}/api/v1/users`, {
      method: "POST",
      json: { email: "located@example.com", password: PASSWORD, given_name: "Lo", family_name: "Cated" },
    });
    assert.is(registered.status, 201, JSON.stringify(registered.body));
    const location = registered.headers.get("location");
    assert.is(location, `/api/v1/users/${registered.body.data.id}`);

    const read = await asAdminCall(new URL(location ?? "", server.url).href);
    assert.is(read.status, 200);
    assert.is(read.body.data.email, "located@example.com");
  });

  api(
    "when an API key is created, then 201 with a Location naming the key, where it is revoked",
    async ({ server }) => {
      const me = await asAdminCall(`${server.url}/api/v1/users/me`);
      const keys = `${server.url}/api/v1/users/${me.body.data.id}/api-keys`;
      const created = await asAdminCall(keys, {
        method: "POST",
        json: { name: "ci", permissions: ["product:write"] },
      });
      assert.is(created.status, 201, JSON.stringify(created.body));
      const location = created.headers.get("location");
      assert.is(location, `/api/v1/users/${me.body.data.id}/api-keys/${created.body.data.id}`);

      const revoked = await asAdminCall(new URL(location ?? "", server.url).href, { method: "DELETE" });
      assert.is(revoked.status, 200);
      const listed = await asAdminCall(keys);
      const key = listed.body.data.items.find((k: { id: string }) => k.id === created.body.data.id);
      assert.type(key?.revoked_at, "string");
    },
  );

  api(
    "every route that writes to one existing resource honours If-Match and answers with an ETag; every 201 has a Location",
    async ({ server }) => {
      for (const { version, routes } of server.container.getAll<VersionedRoutes>(Tokens.ApiRoutes)) {
        for (const route of routes) {
          const name = `${route.method} /api/${version}${route.path}`;
          if (route.status === 201) assert.type(route.location, "function", `${name} creates: Location`);
          const writesOneResource =
            route.method !== "GET" && route.method !== "DELETE" && route.status !== 201;
          if (writesOneResource && route.path.includes("/:id")) {
            assert.type(route.ifMatchOn, "function", `${name}: If-Match`);
            assert.type(route.etag, "function", `${name}: ETag`);
          }
        }
      }
    },
  );

  api.run();
}
