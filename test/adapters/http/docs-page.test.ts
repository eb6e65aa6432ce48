import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as assert from "uvu/assert";
import { SWAGGER_LOGO_STYLE } from "../../../src/adapters/http/middleware/security-headers.js";
import { ADMIN, bearer } from "../../support/auth.js";
import { call, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite, test } from "../../support/uvu.js";

const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const { version: SWAGGER_UI_VERSION } = JSON.parse(readFileSync(join(SWAGGER_UI, "package.json"), "utf8"));
const ASSETS = `/docs/assets/${SWAGGER_UI_VERSION}`;
const EXPECTED_CSP =
  "default-src 'none';script-src 'self';style-src 'self' " +
  `${SWAGGER_LOGO_STYLE};img-src 'self' data:;connect-src 'self';form-action 'none';` +
  "frame-ancestors 'none';base-uri 'none'";

const docs = suite<{ server: TestServer }>("docs page");
docs.before(async (context) => {
  context.server = await startTestServer();
});
docs.after(async ({ server }) => {
  await server.stop();
});

docs(
  "given docs on, when /docs is fetched, then it is an HTML page under the docs CSP, never cached stale",
  async ({ server }) => {
    const res = await call(`${server.url}/docs`);
    assert.is(res.status, 200);
    assert.is(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.is(res.headers.get("cache-control"), "no-cache");
    assert.is(res.headers.get("content-security-policy"), EXPECTED_CSP);
    assert.is(res.headers.get("x-content-type-options"), "nosniff");
    assert.ok(res.body.includes(`<script src="${ASSETS}/swagger-ui-bundle.js">`));
    assert.ok(res.body.includes(`<link rel="stylesheet" href="${ASSETS}/swagger-ui.css">`));
    assert.not.match(res.body, /<script>|<script(?![^>]*\ssrc=)[^>]*>/, "no inline script");
    assert.not.match(res.body, /https?:\/\//, "nothing from another origin");
  },
);

docs("given the API and the docs page side by side, then each path gets its own CSP", async ({ server }) => {
  const api = await call(`${server.url}/api/v1/products`);
  assert.is(api.headers.get("content-security-policy"), "default-src 'none';frame-ancestors 'none'");
  const document = await call(`${server.url}/openapi/v1.json`);
  assert.is(document.headers.get("content-security-policy"), "default-src 'none';frame-ancestors 'none'");
  const missing = await call(`${server.url}/docs/nothing-here`);
  assert.is(missing.status, 404);
  assert.is(missing.headers.get("content-security-policy"), EXPECTED_CSP);
});

docs(
  "given the initializer, then it is a script file listing both documents, the default version first",
  async ({ server }) => {
    const res = await call(`${server.url}/docs/swagger-initializer.js`);
    assert.is(res.status, 200);
    assert.is(res.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.is(res.headers.get("cache-control"), "no-cache");
    assert.ok(
      res.body.includes(
        'urls: [{"name":"v1","url":"/openapi/v1.json"},{"name":"v2","url":"/openapi/v2.json"}]',
      ),
      res.body,
    );
    assert.ok(res.body.includes("validatorUrl: null"), "no online validator");
  },
);

docs(
  "given each Swagger UI file, then it is the installed package's, typed, and cacheable for a year",
  async ({ server }) => {
    for (const [name, type] of [
      ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
      ["swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8"],
      ["swagger-ui.css", "text/css; charset=utf-8"],
      ["favicon-32x32.png", "image/png"],
    ] as const) {
      const res = await fetch(`${server.url}${ASSETS}/${name}`);
      assert.is(res.status, 200, name);
      assert.is(res.headers.get("content-type"), type, name);
      assert.is(res.headers.get("cache-control"), "public, max-age=31536000, immutable", name);
      const served = Buffer.from(await res.arrayBuffer());
      assert.ok(served.equals(readFileSync(join(SWAGGER_UI, name))), `${name} is the package's file`);
    }
  },
);

docs(
  "given a file the page does not use, or another package version, then it is a 404",
  async ({ server }) => {
    for (const path of [
      `${ASSETS}/swagger-ui-bundle.js.map`,
      `${ASSETS}/index.html`,
      `${ASSETS}/package.json`,
      `${ASSETS}/..%2Fpackage.json`,
      "/docs/assets/0.0.1/swagger-ui-bundle.js",
      "/docs/assets/swagger-ui-bundle.js",
    ]) {
      const res = await call(`${server.url}${path}`);
      assert.is(res.status, 404, path);
    }
  },
);

docs("given /docs/, then it redirects to /docs", async ({ server }) => {
  const res = await fetch(`${server.url}/docs/`, { redirect: "manual" });
  assert.is(res.status, 301);
  assert.is(res.headers.get("location"), "/docs");
});

docs(
  "given the password grant as Swagger UI sends it (an empty Basic client, an empty scope), then keel issues a token",
  async ({ server }) => {
    // Swagger UI's default "Client credentials location" is the Authorization header, sent even
    // when client_id and client_secret are left empty: base64(":").
    const basic = await call(`${server.url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Basic Og==" },
      body: new URLSearchParams({
        grant_type: "password",
        scope: "",
        username: ADMIN.email,
        password: ADMIN.password,
      }).toString(),
    });
    assert.is(basic.status, 200, JSON.stringify(basic.body));
    const me = await call(`${server.url}/api/v1/users/me`, { headers: bearer(basic.body.access_token) });
    assert.is(me.status, 200);

    // "Request body" sends client_id (a public client) and a scope ticked in the dialog.
    const body = await call(`${server.url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        scope: "product:write",
        username: ADMIN.email,
        password: ADMIN.password,
        client_id: "swagger-ui",
      }).toString(),
    });
    assert.is(body.status, 200, JSON.stringify(body.body));
    assert.is(body.body.scope, "product:write");
  },
);

docs.run();

test("given DOCS__ENABLED=false, then /docs and its files are 404 and carry the API's CSP", async () => {
  const server = await startTestServer({ env: { DOCS__ENABLED: "false" } });
  try {
    for (const path of ["/docs", "/docs/swagger-initializer.js", `${ASSETS}/swagger-ui-bundle.js`]) {
      const res = await call(`${server.url}${path}`);
      assert.is(res.status, 404, path);
      assert.is(res.headers.get("content-security-policy"), "default-src 'none';frame-ancestors 'none'");
    }
  } finally {
    await server.stop();
  }
});

test("given API__DEFAULT_VERSION=v2, then the page shows v2 first", async () => {
  const server = await startTestServer({ env: { API__DEFAULT_VERSION: "v2" } });
  try {
    const res = await call(`${server.url}/docs/swagger-initializer.js`);
    assert.match(res.body, /urls: \[\{"name":"v2",[^\]]*\{"name":"v1",/);
    assert.match(res.body, /"urls.primaryName": "v2"/);
  } finally {
    await server.stop();
  }
});

test("given the installed Swagger UI, then its one inline <style> is the one the docs CSP allows by hash", () => {
  const preset = readFileSync(join(SWAGGER_UI, "swagger-ui-standalone-preset.js"), "utf8");
  const bundle = readFileSync(join(SWAGGER_UI, "swagger-ui-bundle.js"), "utf8");
  const styles = [...`${preset}\n${bundle}`.matchAll(/createElement\("style",null,"([^"]*)"\)/g)].map(
    (m) =>
      `'sha256-${createHash("sha256")
        .update(m[1] ?? "")
        .digest("base64")}'`,
  );
  assert.equal(styles, [SWAGGER_LOGO_STYLE]);
});

test.run();
