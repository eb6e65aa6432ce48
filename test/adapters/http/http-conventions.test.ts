import * as assert from "uvu/assert";
import { call, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

const http = suite<{ server: TestServer }>("HTTP conventions");

http.before(async (context) => {
  context.server = await startTestServer({
    env: {
      HTTP__BODY_LIMIT_BYTES: "1024",
      HTTP__CORS__ORIGINS: "https://shop.example",
      API__V1__DEPRECATED: "true",
      API__V1__SUNSET: "2027-06-30",
    },
  });
});
http.after(async ({ server }) => {
  await server.stop();
});

http("an unknown route gets a 404 envelope, inside and outside /api", async ({ server }) => {
  for (const path of ["/api/v1/nope", "/nowhere"]) {
    const res = await call(`${server.url}${path}`);
    assert.is(res.status, 404);
    assert.is(res.body.code, "NOT_FOUND");
    assert.match(res.body.message, /no route for GET/);
    assert.type(res.body.requestId, "string");
  }
});

http("a known path with the wrong method is a 405 envelope with Allow", async ({ server }) => {
  const res = await call(`${server.url}/api/v1/products`, { method: "DELETE" });
  assert.is(res.status, 405);
  assert.is(res.body.code, "METHOD_NOT_ALLOWED");
  assert.match(res.headers.get("allow") ?? "", /GET/);
});

http("a body over the limit is a 413", async ({ server }) => {
  const res = await call(`${server.url}/api/v1/products`, {
    method: "POST",
    json: { name: "x".repeat(2000), sku: "BIG", price: 1, currency: "EUR", stock: 1 },
  });
  assert.is(res.status, 413);
  assert.is(res.body.code, "PAYLOAD_TOO_LARGE");
});

http("a body that is not JSON is a 415; malformed JSON is a 400", async ({ server }) => {
  const form = await call(`${server.url}/api/v1/products`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: "name=x",
  });
  assert.is(form.status, 415);
  assert.is(form.body.code, "UNSUPPORTED_MEDIA_TYPE");
  const broken = await call(`${server.url}/api/v1/products`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"name": ',
  });
  assert.is(broken.status, 400);
  assert.is(broken.body.code, "MALFORMED_JSON");
});

http(
  "a JSON body must be UTF-8: another charset is a 415, bytes that are not UTF-8 a 400, never stored as U+FFFD",
  async ({ server }) => {
    const send = async (contentType: string, body: Uint8Array | string) => {
      const res = await fetch(`${server.url}/api/v1/products`, {
        method: "POST",
        headers: { "content-type": contentType },
        body,
      });
      return { status: res.status, body: (await res.json()) as { code: string; message: string } };
    };
    for (const charset of ["utf-16", "latin1", "no-such-charset"]) {
      const res = await send(`application/json; charset=${charset}`, '{"name":"x"}');
      assert.equal([res.status, res.body.code], [415, "UNSUPPORTED_MEDIA_TYPE"], charset);
    }
    const prefix = Buffer.from('{"name":"');
    const suffix = Buffer.from('","sku":"U-1","price":1,"currency":"EUR","stock":1}');
    for (const bytes of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      const res = await send(
        "application/json; charset=utf-8",
        Buffer.concat([prefix, Buffer.from(bytes), suffix]),
      );
      assert.equal(
        [res.status, res.body.message],
        [400, "the request body is not valid UTF-8"],
        String(bytes),
      );
    }
  },
);

http("a body naming __proto__ is valid JSON: the field is refused by name", async ({ server }) => {
  const res = await call(`${server.url}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"email":"proto@example.com","password":"a long enough passphrase","given_name":"P","family_name":"Q","__proto__":{"admin":true}}',
  });
  assert.is(res.status, 400);
  assert.equal(res.body.errors, [{ path: "body.__proto__", message: "is not an accepted field" }]);
});

http("X-Request-ID is echoed when given, generated when absent, replaced when unsafe", async ({ server }) => {
  const given = await call(`${server.url}/health/live`, { headers: { "X-Request-ID": "abc-123" } });
  assert.is(given.headers.get("x-request-id"), "abc-123");
  const generated = await call(`${server.url}/health/live`);
  assert.match(generated.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  const unsafe = await call(`${server.url}/health/live`, { headers: { "X-Request-ID": "a b\tc<script>" } });
  assert.match(unsafe.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  const error = await call(`${server.url}/api/v1/nope`, { headers: { "X-Request-ID": "trace-me" } });
  assert.is(error.body.requestId, "trace-me");
});

http(
  "the access log has one JSON line per request with method, path, status and request id",
  async ({ server }) => {
    await call(`${server.url}/api/v1/products?page=1`, { headers: { "X-Request-ID": "log-line-test" } });
    const line = server.log.lines().find((l) => l.requestId === "log-line-test");
    assert.ok(line, "no access log line for the request");
    assert.equal(
      [line.method, line.path, line.status, line.msg],
      ["GET", "/api/v1/products", 200, "request completed"],
    );
  },
);

http(
  "CORS: a preflight from an allowed origin is answered; other origins get no CORS headers",
  async ({ server }) => {
    const allowed = await call(`${server.url}/api/v1/products`, {
      method: "OPTIONS",
      headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST" },
    });
    assert.is(allowed.status, 204);
    assert.is(allowed.headers.get("access-control-allow-origin"), "https://shop.example");
    assert.match(allowed.headers.get("access-control-allow-methods") ?? "", /POST/);
    const other = await call(`${server.url}/api/v1/products`, {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    assert.is(other.headers.get("access-control-allow-origin"), null);
  },
);

http("a deprecated v1 answers with Deprecation and Sunset headers; v2 does not", async ({ server }) => {
  const v1 = await call(`${server.url}/api/v1/products`);
  assert.is(v1.headers.get("deprecation"), "true");
  assert.is(v1.headers.get("sunset"), "Wed, 30 Jun 2027 00:00:00 GMT");
  const v2 = await call(`${server.url}/api/v2/products`);
  assert.is(v2.headers.get("deprecation"), null);
});

http("security headers are set on every response, errors included", async ({ server }) => {
  const res = await call(`${server.url}/api/v1/nope`);
  assert.is(res.headers.get("x-content-type-options"), "nosniff");
  assert.is(res.headers.get("x-frame-options"), "SAMEORIGIN");
  assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/);
});

http("health: live answers 200; ready answers 200 listing its checks", async ({ server }) => {
  const live = await call(`${server.url}/health/live`);
  assert.equal([live.status, live.body.code], [200, "OK"]);
  const ready = await call(`${server.url}/health/ready`);
  assert.is(ready.status, 200);
  assert.equal(ready.body.data.status, "ready");
  assert.equal(ready.body.data.draining, false);
});

http.run();
