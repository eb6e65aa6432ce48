import * as assert from "uvu/assert";
import { DomainError } from "../../../src/domain/shared/domain-error.js";
import { DependencyUnavailable } from "../../../src/ports/dependency-unavailable.js";
import { HealthCheck, LivenessCheck } from "../../../src/ports/health-check.js";
import { ProductReadModel, type ProductView } from "../../../src/ports/product/product-read-model.js";
import { ProductRepository } from "../../../src/ports/product/product-repository.js";
import { ConcurrencyConflict } from "../../../src/ports/unit-of-work.js";
import { asAdmin } from "../../support/auth.js";
import { call, startTestServer } from "../../support/test-server.js";
import { test } from "../../support/uvu.js";

const ID = "3f0e4c5d-1111-4222-8333-444455556666";

/** The product read model, failing every read with `error` (a bug, an outage). */
function failingReadModel(error: Error): ProductReadModel {
  return failingReadModelWith(() => error);
}

/** The product read model, failing every read with whatever `error()` gives at the time. */
function failingReadModelWith(error: () => Error): ProductReadModel {
  return {
    get: async () => {
      throw error();
    },
    list: async () => {
      throw error();
    },
  };
}
const leakyView = {
  id: ID,
  name: "Leaky",
  sku: "LEAK-1",
  priceMinor: 100,
  currency: "EUR",
  onHand: 1,
  reserved: 0,
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  passwordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
} as ProductView;

test("given a read model that returns undeclared fields, the response carries only the declared ones", async () => {
  const server = await startTestServer({
    overrides: (container) => {
      container.rebind(ProductReadModel).toConstantValue({
        get: async () => leakyView,
        list: async () => ({ items: [leakyView], total: 1 }),
      });
    },
  });
  try {
    for (const path of [`/api/v1/products/${ID}`, `/api/v2/products/${ID}`, "/api/v1/products"]) {
      const res = await call(`${server.url}${path}`);
      assert.is(res.status, 200, path);
      assert.not.match(JSON.stringify(res.body), /argon2|passwordHash/, path);
    }
  } finally {
    await server.stop();
  }
});

test("given a handler that crashes, the client gets a bare 500 envelope and the log gets the stack", async () => {
  const server = await startTestServer({
    overrides: (container) => {
      container
        .rebind(ProductReadModel)
        .toConstantValue(
          failingReadModel(new TypeError("cannot read properties of undefined (reading 'rows')")),
        );
    },
  });
  try {
    const res = await call(`${server.url}/api/v1/products`, { headers: { "X-Request-ID": "crash-1" } });
    assert.is(res.status, 500);
    assert.equal(res.body, {
      code: "INTERNAL_ERROR",
      message: "an unexpected error occurred",
      requestId: "crash-1",
    });
    const logged = server.log
      .lines()
      .find((line) => line.requestId === "crash-1" && line.msg === "unhandled error");
    assert.match(
      String((logged?.err as { stack?: string } | undefined)?.stack),
      /TypeError: cannot read properties/,
    );
  } finally {
    await server.stop();
  }
});

test("given a required dependency that is down, readiness is 503 naming it; liveness stays 200", async () => {
  const server = await startTestServer({
    overrides: (container) => {
      container.bind(HealthCheck).toConstantValue({
        name: "database",
        required: true,
        check: async () => {
          throw new Error("connection refused");
        },
      });
      container.bind(HealthCheck).toConstantValue({ name: "cache", required: false, check: async () => {} });
    },
  });
  try {
    const ready = await call(`${server.url}/health/ready`);
    assert.is(ready.status, 503);
    assert.is(ready.body.code, "NOT_READY");
    const byName = Object.fromEntries(
      ready.body.data.checks.map((c: { name: string; status: string; error?: string }) => [c.name, c]),
    );
    assert.equal([byName.database.status, byName.database.error], ["down", "connection refused"]);
    assert.is(byName.cache.status, "up");
    assert.is((await call(`${server.url}/health/live`)).status, 200);
  } finally {
    await server.stop();
  }
});

test("given a component beyond recovery, liveness is 503 naming it; while it recovers, liveness is 200", async () => {
  let reason: string | undefined;
  const server = await startTestServer({
    overrides: (container) => {
      container.bind(LivenessCheck).toConstantValue({ name: "event-bus", beyondRecovery: () => reason });
    },
  });
  try {
    assert.is((await call(`${server.url}/health/live`)).status, 200);
    reason = "the connection closed for good";
    const live = await call(`${server.url}/health/live`);
    assert.is(live.status, 503);
    assert.equal(live.body.data.broken, [{ name: "event-bus", error: "the connection closed for good" }]);
  } finally {
    await server.stop();
  }
});

test("given a dependency that is unavailable, requests get 503 with Retry-After, and the log says so once per window", async () => {
  const server = await startTestServer({
    overrides: (container) => {
      container
        .rebind(ProductReadModel)
        .toConstantValue(
          failingReadModel(
            new DependencyUnavailable("database", 2, { cause: new Error("connect ECONNREFUSED") }),
          ),
        );
    },
  });
  try {
    for (let i = 0; i < 20; i++) {
      const res = await call(`${server.url}/api/v1/products`);
      assert.is(res.status, 503);
      assert.is(res.headers.get("retry-after"), "2");
      assert.is(res.body.code, "SERVICE_UNAVAILABLE");
      assert.not.match(JSON.stringify(res.body), /ECONNREFUSED/, "the cause stays in the log");
    }
    const warnings = server.log.lines().filter((line) => line.code === "SERVICE_UNAVAILABLE");
    assert.is(warnings.length, 1, "one line for twenty refusals");
    assert.is(warnings[0]?.cause, "connect ECONNREFUSED");
    assert.is(server.log.lines().filter((line) => line.level === 50).length, 0, "nothing at error level");
  } finally {
    await server.stop();
  }
});

test("when CORS origins and the log level change and config reloads, both apply without a restart", async () => {
  const server = await startTestServer({
    env: { HTTP__CORS__ORIGINS: "https://a.example", LOG__LEVEL: "info" },
  });
  try {
    const preflight = (origin: string) =>
      call(`${server.url}/api/v1/products`, {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": "GET" },
      });
    assert.is((await preflight("https://b.example")).headers.get("access-control-allow-origin"), null);

    server.env.HTTP__CORS__ORIGINS = "https://a.example,https://b.example";
    server.env.LOG__LEVEL = "warn";
    server.env.HTTP__PORT = "4321";
    const report = server.store.reload();

    assert.equal(report.applied.sort(), ["HTTP__CORS__ORIGINS", "LOG__LEVEL"]);
    assert.equal(report.ignoredRestartOnly, ["HTTP__PORT"]);
    assert.is(
      (await preflight("https://b.example")).headers.get("access-control-allow-origin"),
      "https://b.example",
    );
    await call(`${server.url}/api/v1/products`, { headers: { "X-Request-ID": "after-reload" } });
    assert.is(
      server.log.lines().filter((line) => line.requestId === "after-reload").length,
      0,
      "info is now below the level",
    );
  } finally {
    await server.stop();
  }
});

test("given a product that keeps changing under every attempt, the command answers 409 CONCURRENT_MODIFICATION", async () => {
  let saves = 0;
  const server = await startTestServer({
    overrides: (container) => {
      const real = container.get<ProductRepository>(ProductRepository);
      const failing: ProductRepository = {
        get: (id) => real.get(id),
        getForUpdate: (id) => real.getForUpdate(id),
        idOfSku: (sku) => real.idOfSku(sku),
        save: async (product) => {
          saves += 1;
          if (product.persistedVersion > 0)
            throw new ConcurrencyConflict("product", product.id, product.persistedVersion);
          await real.save(product);
        },
      };
      container.rebind(ProductRepository).toConstantValue(failing);
    },
  });
  try {
    const headers = await asAdmin(server.url);
    const created = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      headers,
      json: { name: "Hot", sku: "HOT-1", price: 1, currency: "EUR", stock: 1 },
    });
    saves = 0;
    const res = await call(`${server.url}/api/v1/products/${created.body.data.id}/name`, {
      method: "PUT",
      headers,
      json: { name: "Hotter" },
    });
    assert.is(res.status, 409);
    assert.is(res.body.code, "CONCURRENT_MODIFICATION");
    assert.is(saves, 3, "the unit of work retried a bounded number of times");
  } finally {
    await server.stop();
  }
});

test("given a domain error that declares itself a conflict, the answer is 409 with its code, and any other refusal is 422, with no table to edit", async () => {
  class StockTakeInProgress extends DomainError {
    readonly code = "STOCK_TAKE_IN_PROGRESS";
    override readonly kind = "conflict";
  }
  class ShelfLifeTooShort extends DomainError {
    readonly code = "SHELF_LIFE_TOO_SHORT";
  }
  let refusal: DomainError = new StockTakeInProgress("a stock take is running");
  const server = await startTestServer({
    overrides: (container) => {
      container.rebind(ProductReadModel).toConstantValue(failingReadModelWith(() => refusal));
    },
  });
  try {
    const conflict = await call(`${server.url}/api/v1/products/${ID}`);
    assert.equal([conflict.status, conflict.body.code], [409, "STOCK_TAKE_IN_PROGRESS"]);
    refusal = new ShelfLifeTooShort("shelf life too short");
    const broken = await call(`${server.url}/api/v1/products/${ID}`);
    assert.equal([broken.status, broken.body.code], [422, "SHELF_LIFE_TOO_SHORT"]);
  } finally {
    await server.stop();
  }
});

test.run();
