/**
 * Fault test: the read replica (DATABASE__READ_URL) is cut while the primary answers. Reads get 503
 * with Retry-After within the bound, writes go on, readiness reports the replica without leaving the
 * load balancer, and reads answer again as soon as the replica does.
 */
import * as assert from "uvu/assert";
import { asAdmin } from "../support/auth.js";
import { eventually } from "../support/eventually.js";
import { FaultProxy } from "../support/fault-proxy.js";
import { createTestSchema, postgresDecision } from "../support/postgres.js";
import { serviceTest } from "../support/services.js";
import { call, startTestServer } from "../support/test-server.js";
import { test } from "../support/uvu.js";

serviceTest(
  await postgresDecision(),
  "given a read replica that is cut, reads get 503 with Retry-After, writes go on, readiness stays 200 reporting the replica, and reads recover without a restart",
  async () => {
    const schema = await createTestSchema();
    const url = new URL(schema.url);
    const replica = await FaultProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    const server = await startTestServer({
      env: {
        PERSISTENCE__DRIVER: "postgres",
        DATABASE__URL: schema.url,
        // The same schema through the proxy stands in for a replica.
        DATABASE__READ_URL: replica.url(schema.url),
        DATABASE__CONNECT_TIMEOUT_MS: "1000",
      },
    });
    try {
      const headers = await asAdmin(server.url);
      const created = await call(`${server.url}/api/v1/products`, {
        method: "POST",
        headers,
        json: { name: "Replicated", sku: "REP-CUT", price: 100, currency: "EUR", stock: 5 },
      });
      assert.is(created.status, 201);
      const product = `${server.url}/api/v1/products/${created.body.data.id}`;
      assert.is((await call(product)).status, 200);

      replica.set("refuse");
      const started = performance.now();
      const read = await call(product);
      const readMs = performance.now() - started;
      assert.equal(
        [read.status, read.body.code, read.headers.get("retry-after")],
        [503, "SERVICE_UNAVAILABLE", "2"],
      );
      assert.ok(readMs < 2000, `a read ends within the connect timeout plus 1 s (${readMs.toFixed(0)} ms)`);
      const write = await call(`${product}/stock-adjustments`, {
        method: "POST",
        headers,
        json: { delta: 1, reason: "replica down" },
      });
      assert.is(write.status, 200, "writes go to the primary");
      const ready = await call(`${server.url}/health/ready`);
      assert.is(ready.status, 200, "the instance stays in the load balancer");
      const check = ready.body.data.checks.find((c: { name: string }) => c.name === "read-replica");
      assert.equal([check?.status, check?.required], ["down", false]);

      replica.pass();
      const back = await eventually(
        "reads to answer again",
        () => call(product),
        (res) => res.status === 200,
      );
      assert.is(back.body.data.stock, 6);
    } finally {
      await server.stop();
      await replica.close();
      await schema.drop();
    }
  },
);

test.run();
