import * as assert from "uvu/assert";
import { asAdmin } from "../../../support/auth.js";
import { eventually } from "../../../support/eventually.js";
import { sampled } from "../../../support/exposition.js";
import { OwnRedis, ownRedisDecision } from "../../../support/own-redis.js";
import { uniqueKeyPrefix } from "../../../support/redis.js";
import { serviceTest } from "../../../support/services.js";
import { call, startTestServer, type TestServer } from "../../../support/test-server.js";
import { test } from "../../../support/uvu.js";

/**
 * The query cache and HTTP caching over a listening server: which Cache-Control each kind of route
 * answers with, a product read served from keel's cache, and a cache whose Redis dies.
 */

let skus = 0;
async function createProduct(server: TestServer): Promise<string> {
  const res = await call(`${server.url}/api/v1/products`, {
    method: "POST",
    headers: await asAdmin(server.url),
    json: { name: "Oak chair", sku: `CACHE-${++skus}`, price: 12999, currency: "EUR", stock: 5 },
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.data.id;
}

async function lookups(server: TestServer, outcome: string): Promise<number> {
  const res = await fetch(`${server.url}/metrics`);
  return sampled(await res.text(), "keel_cache_lookups_total", { query: "GetProduct", outcome }) ?? 0;
}

test("given the API, then a read with an ETag may be kept but revalidated (privately when signed in), and everything else is never stored", async () => {
  const server = await startTestServer();
  try {
    const created = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers: await asAdmin(server.url),
      json: { name: "Lamp", sku: "CC-1", price: 100, currency: "EUR", stock: 1 },
    });
    assert.equal([created.status, created.headers.get("cache-control")], [201, "no-store"], "a write");

    const product = `${server.url}/api/v1/products/${created.body.data.id}`;
    const read = await call(product);
    assert.equal([read.status, read.headers.get("cache-control")], [200, "no-cache"], "a read with an ETag");
    const revalidated = await call(product, { headers: { "if-none-match": read.headers.get("etag") ?? "" } });
    assert.equal(
      [revalidated.status, revalidated.headers.get("cache-control")],
      [304, "no-cache"],
      "a 304 says the same as the answer it stands for",
    );

    const signedIn = await call(product, { headers: await asAdmin(server.url) });
    assert.is(
      signedIn.headers.get("cache-control"),
      "private, no-cache",
      "a signed-in caller's read is theirs",
    );

    const list = await call(`${server.url}/api/v1/products`);
    assert.equal(
      [list.status, list.headers.get("cache-control")],
      [200, "no-store"],
      "a read without an ETag",
    );
  } finally {
    await server.stop();
  }
});

test("given CACHE__DRIVER=memory, when a product is read twice, then the second read comes from the cache", async () => {
  const server = await startTestServer({ env: { CACHE__DRIVER: "memory" } });
  try {
    const id = await createProduct(server);
    const first = await call(`${server.url}/api/v1/products/${id}`);
    const second = await call(`${server.url}/api/v1/products/${id}`);
    assert.equal(second.body, first.body);
    assert.is(second.headers.get("etag"), first.headers.get("etag"));
    assert.equal([await lookups(server, "miss"), await lookups(server, "hit")], [1, 1]);
  } finally {
    await server.stop();
  }
});

test("given a memory cache and the worker in process (development), when a product is renamed, then its event deletes the cached entry", async () => {
  const server = await startTestServer({ env: { CACHE__DRIVER: "memory", WORKER__IN_PROCESS: "true" } });
  try {
    const id = await createProduct(server);
    const product = `${server.url}/api/v1/products/${id}`;
    // The creation's own event deletes what the first reads cache: wait until an entry stays.
    await eventually(
      "a read to come from the cache",
      async () => {
        await call(product);
        return lookups(server, "hit");
      },
      (hits) => hits > 0,
    );
    const renamed = await call(`${product}/name`, {
      method: "PUT",
      headers: await asAdmin(server.url),
      json: { name: "Walnut chair" },
    });
    assert.is(renamed.status, 200, JSON.stringify(renamed.body));
    const fresh = await eventually(
      "the rename to show",
      () => call(product),
      (read) => read.body.data.name === "Walnut chair",
    );
    assert.is(fresh.status, 200);
  } finally {
    await server.stop();
  }
});

test("given CACHE__DRIVER=none (the test default), then nothing is cached and no lookup is counted", async () => {
  const server = await startTestServer();
  try {
    const id = await createProduct(server);
    await call(`${server.url}/api/v1/products/${id}`);
    await call(`${server.url}/api/v1/products/${id}`);
    assert.equal([await lookups(server, "miss"), await lookups(server, "hit")], [0, 0]);
  } finally {
    await server.stop();
  }
});

serviceTest(
  await ownRedisDecision(),
  "given a Redis cache that dies, then product reads are still answered and readiness stays 200, noting the cache down",
  async () => {
    const own = await OwnRedis.start();
    const server = await startTestServer({
      env: {
        CACHE__DRIVER: "redis",
        CACHE__KEY_PREFIX: uniqueKeyPrefix(),
        REDIS__URL: own.url,
        REDIS__COMMAND_TIMEOUT_MS: "200",
      },
    });
    try {
      const id = await createProduct(server);
      const product = `${server.url}/api/v1/products/${id}`;
      const before = await call(product);
      await call(product);
      assert.is(await lookups(server, "hit"), 1, "cached while Redis runs");

      await own.stop();
      const during = await call(product);
      assert.equal([during.status, during.body.data], [200, before.body.data]);
      const again = await call(product);
      assert.is(again.status, 200);
      assert.ok((await lookups(server, "error")) >= 2, "the reads that met the outage are counted as errors");

      const ready = await call(`${server.url}/health/ready`);
      assert.is(ready.status, 200, JSON.stringify(ready.body));
      const check = ready.body.data.checks.find((c: { name: string }) => c.name === "cache");
      assert.equal([check?.status, check?.required], ["down", false]);
      assert.match(check?.error ?? "", /uncached/);
    } finally {
      await server.stop();
      await own.stop();
    }
  },
);

test.run();
