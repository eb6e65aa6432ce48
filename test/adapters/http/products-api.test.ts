import * as assert from "uvu/assert";
import { asAdmin } from "../../support/auth.js";
import { call as anonymousCall, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

/** Every request here is the bootstrap admin's: product writes need product:write (anonymous access is the authorization matrix's subject). */
const call: typeof anonymousCall = async (url, init = {}) =>
  anonymousCall(url, { ...init, headers: { ...(await asAdmin(new URL(url).origin)), ...init.headers } });

const api = suite<{ server: TestServer }>("products API");

api.before(async (context) => {
  context.server = await startTestServer();
});
api.after(async ({ server }) => {
  await server.stop();
});

const chair = { name: "Oak chair", sku: "CH-OAK", price: 12999, currency: "EUR", stock: 5 };

async function create(server: TestServer, body: Record<string, unknown> = chair): Promise<string> {
  const created = await call(`${server.url}/api/v1/products`, { method: "POST", json: body });
  assert.is(created.status, 201, JSON.stringify(created.body));
  return created.body.data.id;
}

api("when a product is created, then 201 with its id and version in the envelope", async ({ server }) => {
  const res = await call(`${server.url}/api/v1/products`, {
    method: "POST",
    json: { ...chair, sku: "CH-1" },
  });
  assert.is(res.status, 201);
  assert.is(res.body.code, "OK");
  assert.is(res.body.message, "product created");
  assert.match(res.body.data.id, /^[0-9a-f-]{36}$/);
  assert.is(res.body.data.version, 1);
});

api(
  "given a product, v1 returns the price in minor units and v2 as a decimal amount with currency",
  async ({ server }) => {
    const id = await create(server, { ...chair, sku: "CH-2" });
    const v1 = await call(`${server.url}/api/v1/products/${id}`);
    assert.is(v1.status, 200);
    assert.equal(
      { ...v1.body.data, created_at: undefined, updated_at: undefined },
      {
        id,
        name: "Oak chair",
        sku: "CH-2",
        price: 12999,
        currency: "EUR",
        stock: 5,
        reserved: 0,
        available: 5,
        version: 1,
        created_at: undefined,
        updated_at: undefined,
      },
    );
    const v2 = await call(`${server.url}/api/v2/products/${id}`);
    assert.equal(v2.body.data.price, { amount: "129.99", currency: "EUR" });
    assert.equal(v2.body.data.stock, { on_hand: 5, reserved: 0, available: 5 });
  },
);

api(
  "v2 accepts a decimal price and refuses more decimals than the currency has (400, as v1 refuses a fraction)",
  async ({ server }) => {
    const ok = await call(`${server.url}/api/v2/products`, {
      method: "POST",
      json: { name: "Tea", sku: "TEA-1", price: { amount: "4.50", currency: "GBP" }, stock: 1 },
    });
    assert.is(ok.status, 201);
    const v1 = await call(`${server.url}/api/v1/products/${ok.body.data.id}`);
    assert.is(v1.body.data.price, 450);

    const tooPrecise = await call(`${server.url}/api/v2/products`, {
      method: "POST",
      json: { name: "Tea", sku: "TEA-2", price: { amount: "4.505", currency: "GBP" }, stock: 1 },
    });
    assert.is(tooPrecise.status, 400);
    assert.is(tooPrecise.body.code, "VALIDATION_FAILED");
    assert.equal(tooPrecise.body.errors, [
      { path: "body.price.amount", message: "GBP amounts have at most 2 decimal places" },
    ]);
  },
);

api(
  "/api/products follows X-API-Version, v1 by default, and says which version answered",
  async ({ server }) => {
    const id = await create(server, { ...chair, sku: "CH-3" });
    const byDefault = await call(`${server.url}/api/products/${id}`);
    assert.is(byDefault.body.data.price, 12999);
    assert.is(byDefault.headers.get("x-api-version"), "v1");
    assert.match(byDefault.headers.get("vary") ?? "", /X-API-Version/i);
    const v2 = await call(`${server.url}/api/products/${id}`, { headers: { "X-API-Version": "v2" } });
    assert.equal(v2.body.data.price, { amount: "129.99", currency: "EUR" });
    assert.is(v2.headers.get("x-api-version"), "v2");
  },
);

api(
  "an unknown API version, in the header or the URL, is a 400 listing the supported ones",
  async ({ server }) => {
    for (const res of [
      await call(`${server.url}/api/products`, { headers: { "X-API-Version": "v9" } }),
      await call(`${server.url}/api/v9/products`),
    ]) {
      assert.is(res.status, 400);
      assert.is(res.body.code, "UNSUPPORTED_API_VERSION");
      assert.match(res.body.message, /v1, v2/);
      assert.type(res.body.requestId, "string");
    }
  },
);

api("listing filters by name and price, sorts, pages, and reports the total", async ({ server }) => {
  for (const [name, price] of [
    ["Lamp small", 1500],
    ["Lamp large", 4500],
    ["Lamp floor", 9900],
  ] as const) {
    await create(server, { name, sku: `L-${price}`, price, currency: "EUR", stock: 1 });
  }
  const res = await call(
    `${server.url}/api/v1/products?name=lamp&min_price=2000&sort=price&order=desc&page_size=1`,
  );
  assert.is(res.status, 200);
  assert.is(res.body.data.total, 2);
  assert.is(res.body.data.page, 1);
  assert.is(res.body.data.page_size, 1);
  assert.equal(
    res.body.data.items.map((p: { name: string }) => p.name),
    ["Lamp floor"],
  );
  const page2 = await call(
    `${server.url}/api/v1/products?name=lamp&min_price=2000&sort=price&order=desc&page_size=1&page=2`,
  );
  assert.equal(
    page2.body.data.items.map((p: { name: string }) => p.name),
    ["Lamp large"],
  );
});

api("bad query parameters are a 400 naming each one by path", async ({ server }) => {
  const res = await call(`${server.url}/api/v1/products?page_size=-1&sort=password&page=x`);
  assert.is(res.status, 400);
  assert.is(res.body.code, "VALIDATION_FAILED");
  const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
  assert.equal(paths, ["query.page", "query.page_size", "query.sort"]);
  const tooBig = await call(`${server.url}/api/v1/products?page_size=101`);
  assert.equal(tooBig.body.errors, [
    { path: "query.page_size", message: "expected an integer between 1 and 100" },
  ]);
});

api(
  "an invalid body lists every bad field at once, and an unknown field is refused, not ignored",
  async ({ server }) => {
    const res = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      json: { name: "", sku: "X", price: -5, currency: "EUR", prize: 3 },
    });
    assert.is(res.status, 400);
    assert.equal(
      res.body.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`).sort(),
      [
        "body.name: expected text of 1 to 200 characters",
        "body.price: expected an integer between 0 and 1000000000000",
        "body.prize: is not an accepted field",
        "body.stock: is required",
      ],
    );
  },
);

api("a product id that is not a UUID is a 400; an unknown one is a 404", async ({ server }) => {
  const bad = await call(`${server.url}/api/v1/products/not-a-uuid`);
  assert.is(bad.status, 400);
  assert.equal(bad.body.errors[0].path, "params.id");
  const missing = await call(`${server.url}/api/v1/products/6f1c2d3e-0000-4000-8000-000000000000`);
  assert.is(missing.status, 404);
  assert.is(missing.body.code, "NOT_FOUND");
});

api(
  "business refusals: a taken SKU and insufficient stock are 409, an unsupported currency 422",
  async ({ server }) => {
    const id = await create(server, { ...chair, sku: "CH-409" });
    const taken = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      json: { ...chair, sku: "ch-409" },
    });
    assert.is(taken.status, 409);
    assert.is(taken.body.code, "PRODUCT_SKU_TAKEN");

    const short = await call(`${server.url}/api/v1/products/${id}/stock-adjustments`, {
      method: "POST",
      json: { delta: -6, reason: "broken" },
    });
    assert.is(short.status, 409);
    assert.is(short.body.code, "INSUFFICIENT_STOCK");

    const currency = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      json: { ...chair, sku: "CH-X", currency: "XYZ" },
    });
    assert.is(currency.status, 422);
    assert.equal(currency.body.errors[0].path, "body.currency");
  },
);

api(
  "rename, reprice and adjust stock each bump the version, and the product shows the result",
  async ({ server }) => {
    const id = await create(server, { ...chair, sku: "CH-CMD" });
    const base = `${server.url}/api/v1/products/${id}`;
    assert.is(
      (await call(`${base}/name`, { method: "PUT", json: { name: "Walnut chair" } })).body.data.version,
      2,
    );
    assert.is(
      (await call(`${base}/price`, { method: "PUT", json: { price: 15000, currency: "EUR" } })).body.data
        .version,
      3,
    );
    const adjusted = await call(`${base}/stock-adjustments`, {
      method: "POST",
      json: { delta: 10, reason: "delivery" },
    });
    assert.equal(adjusted.body, { code: "OK", message: "stock adjusted", data: { id, version: 4 } });
    const product = (await call(base)).body.data;
    assert.equal(
      [product.name, product.price, product.stock, product.version],
      ["Walnut chair", 15000, 15, 4],
    );
  },
);

api.run();
