import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { asAdmin, registerAndSignIn } from "../../support/auth.js";
import { call, type JsonResponse, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

/**
 * `Idempotency-Key` on a route that takes it (POST /products): a retry with the same key and request
 * gets the first answer without a second effect, whoever and however many send it.
 */
const keys = suite<{ server: TestServer }>("Idempotency-Key");

keys.before(async (context) => {
  // Retries and concurrent duplicates from one address within moments.
  context.server = await startTestServer({ env: { RATE_LIMIT__ENABLED: "false" } });
});
keys.after(async ({ server }) => {
  await server.stop();
});

let skus = 0;
const chair = () => ({
  name: "Keyed chair",
  sku: `KEY-${Date.now().toString(36)}-${++skus}`,
  price: 4999,
  currency: "EUR",
  stock: 3,
});

async function createWith(
  server: TestServer,
  key: string | undefined,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return call(`${server.url}/api/v1/products`, {
    method: "POST",
    headers: {
      ...(await asAdmin(server.url)),
      ...(key === undefined ? {} : { "idempotency-key": key }),
      ...headers,
    },
    json: body,
  });
}

async function productsWithSku(server: TestServer, sku: string): Promise<number> {
  const list = await call(`${server.url}/api/v1/products?name=keyed&page_size=100`);
  return (list.body.data.items as { sku: string }[]).filter((item) => item.sku === sku.toUpperCase()).length;
}

keys(
  "given a create sent twice with one key, the second gets the first's answer, marked replayed, and one product exists",
  async ({ server }) => {
    const key = randomUUID();
    const body = chair();
    const first = await createWith(server, key, body);
    const second = await createWith(server, key, body);

    assert.is(first.status, 201, JSON.stringify(first.body));
    assert.is(second.status, 201, JSON.stringify(second.body));
    assert.equal(second.body, first.body);
    assert.is(second.headers.get("location"), first.headers.get("location"));
    assert.is(second.headers.get("etag"), first.headers.get("etag"));
    assert.is(first.headers.get("idempotent-replayed"), null);
    assert.is(second.headers.get("idempotent-replayed"), "true");
    assert.is(await productsWithSku(server, body.sku), 1);
  },
);

keys(
  "given a key already used, the same key with another body is a 422 and creates nothing",
  async ({ server }) => {
    const key = randomUUID();
    const body = chair();
    assert.is((await createWith(server, key, body)).status, 201);
    const other = { ...chair() };
    const res = await createWith(server, key, other);

    assert.is(res.status, 422);
    assert.is(res.body.code, "IDEMPOTENCY_KEY_REUSED");
    assert.is(await productsWithSku(server, other.sku), 0);
  },
);

keys(
  "given ten concurrent duplicates with one key, all get the same 201 and one product exists",
  async ({ server }) => {
    const key = randomUUID();
    const body = chair();
    const answers = await Promise.all(Array.from({ length: 10 }, () => createWith(server, key, body)));

    assert.equal(
      answers.map((a) => a.status),
      Array(10).fill(201),
      JSON.stringify(answers.map((a) => a.body)),
    );
    assert.is(new Set(answers.map((a) => a.body.data.id)).size, 1);
    assert.is(answers.filter((a) => a.headers.get("idempotent-replayed") === "true").length, 9);
    assert.is(await productsWithSku(server, body.sku), 1);
  },
);

keys("given a refused create, its refusal is the answer a retry gets too", async ({ server }) => {
  const taken = chair();
  assert.is((await createWith(server, undefined, taken)).status, 201);
  const key = randomUUID();
  const first = await createWith(server, key, taken);
  const retry = await createWith(server, key, taken);

  assert.is(first.status, 409, JSON.stringify(first.body));
  assert.is(retry.status, 409);
  assert.is(retry.body.code, first.body.code);
  assert.is(retry.headers.get("idempotent-replayed"), "true");
  assert.is(typeof retry.body.requestId, "string");
  assert.is.not(retry.body.requestId, first.body.requestId, "the replayed envelope names this request");
});

keys("given one key from two callers, each gets its own answer", async ({ server }) => {
  const key = randomUUID();
  const manager = await registerAndSignIn(
    server.url,
    `keys-${randomUUID()}@example.com`,
    "a long enough passphrase",
  );
  const adminAnswer = await createWith(server, key, chair());
  const userAnswer = await createWith(server, key, chair(), {
    authorization: `Bearer ${manager.accessToken}`,
  });

  assert.is(adminAnswer.status, 201);
  assert.is(userAnswer.status, 403, "the user's own request ran: it may not create products");
  assert.is(userAnswer.headers.get("idempotent-replayed"), null);
});

keys("given a malformed key, the request is a 400 and runs nowhere", async ({ server }) => {
  const body = chair();
  for (const key of ["x".repeat(256), "has a space"]) {
    const res = await createWith(server, key, body);
    assert.is(res.status, 400, key);
    assert.is(res.body.code, "INVALID_IDEMPOTENCY_KEY", key);
  }
  assert.is(await productsWithSku(server, body.sku), 0);
});

keys(
  "given no key, the route works as before: a second identical create is the usual 409",
  async ({ server }) => {
    const body = chair();
    assert.is((await createWith(server, undefined, body)).status, 201);
    assert.is((await createWith(server, undefined, body)).status, 409);
  },
);

keys.run();
