/**
 * Fault test (issue "Messaging", item 7): what each process needs of NATS when it starts while NATS is
 * down (refused at the stack's proxy; the shared server is never touched).
 * - `keel serve` without the in-process worker neither publishes nor consumes: it starts, is ready,
 *   does not list the bus, and takes writes (their events wait in the log).
 * - `keel worker` starts too, connecting in the background: alive, not ready; once NATS is back it is
 *   ready and delivers what was written meanwhile, each event once.
 * - `keel serve` running the worker in process starts and is ready, reporting the bus down without
 *   requiring it.
 * - A one-shot command that does not use the bus (`keel replay`) runs; one that does (`keel
 *   dead-letters list`) fails at once, in one line, with the "unavailable" exit code.
 */
import { randomBytes } from "node:crypto";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import * as assert from "uvu/assert";
import { spawnTs } from "../support/child-process.js";
import { describeLedger, exactlyOnce, ledger, progress } from "../support/delivery-ledger.js";
import { eventually } from "../support/eventually.js";
import { NATS_URL } from "../support/nats.js";
import { ProductionStack, stackDecision } from "../support/production-stack.js";
import { serviceTest } from "../support/services.js";
import { adminHeaders, hold, timed } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";

const decided = await stackDecision();

const checkNames = (body: { data?: { checks?: { name: string }[] } }) =>
  (body.data?.checks ?? []).map((check) => check.name).sort();

serviceTest(
  decided,
  "given NATS down, serve starts ready without the event bus and takes writes, the worker starts alive but not ready, and once NATS is back every event written is delivered once",
  async () => {
    const stack = await ProductionStack.start({
      processes: [],
      env: { RATE_LIMIT__LOGIN__IP_POINTS: "100000" },
    });
    const db = new pg.Client({ connectionString: stack.schema.url });
    let nc: NatsConnection | undefined;
    try {
      await db.connect();
      stack.nats.set("refuse");

      let started = performance.now();
      await stack.startProcess("serve");
      const serveStartMs = performance.now() - started;
      const serve = stack.url("serve");
      const ready = await timed(`${serve}/health/ready`);
      const headers = await adminHeaders(stack);
      const created = await timed(`${serve}/api/v1/products`, {
        method: "POST",
        headers,
        json: {
          name: "Lamp",
          sku: `LAMP-${randomBytes(3).toString("hex")}`,
          price: 2500,
          currency: "EUR",
          stock: 8,
        },
      });
      const adjusted = await timed(`${serve}/api/v1/products/${created.body?.data?.id}/stock-adjustments`, {
        method: "POST",
        headers,
        json: { delta: -4, reason: "written while NATS is down" },
      });

      started = performance.now();
      await stack.startProcess("worker");
      const workerStartMs = performance.now() - started;
      const worker = stack.url("worker");
      const workerLive = await timed(`${worker}/health/live`);
      const workerReady = await timed(`${worker}/health/ready`);

      stack.nats.set("pass");
      const back = performance.now();
      await eventually(
        "the worker to be ready",
        async () => {
          await hold(100);
          return (await timed(`${worker}/health/ready`)).status;
        },
        (status) => status === 200,
        15_000,
      );
      const readyMs = performance.now() - back;
      await eventually(
        "every subscriber to catch up with the log",
        () => progress(db),
        (p) => p.published && p.behind === 0,
        20_000,
      );
      const deliveredMs = performance.now() - back;
      nc = await connect({ servers: NATS_URL, timeout: 2000 });
      const final = await ledger(db, nc, stack.stream);
      const eventBus = workerReady.body?.data?.checks?.find((c: { name: string }) => c.name === "event-bus");

      console.log(
        [
          `  serve started with NATS refused in ${serveStartMs.toFixed(0)} ms; /health/ready ${ready.status} ` +
            `(checks: ${checkNames(ready.body).join(", ")}); create ${created.status}, adjust ${adjusted.status}`,
          `  worker started with NATS refused in ${workerStartMs.toFixed(0)} ms; /health/live ${workerLive.status}, ` +
            `/health/ready ${workerReady.status} (event-bus ${eventBus?.status}: "${eventBus?.error}")`,
          `  after NATS came back: worker ready in ${readyMs.toFixed(0)} ms, everything delivered in ${deliveredMs.toFixed(0)} ms`,
          ...describeLedger(final).map((line) => `  ${line}`),
        ].join("\n"),
      );

      assert.is(ready.status, 200);
      assert.equal(checkNames(ready.body), ["cache", "database", "migrations", "payment-gateway", "redis"]);
      assert.is(created.status, 201);
      assert.is(adjusted.status, 200);
      assert.is(workerLive.status, 200, "NATS down is an outage, not a reason to restart the worker");
      assert.is(workerReady.status, 503);
      assert.is(eventBus?.status, "down");
      assert.ok(stack.alive("serve") && stack.alive("worker"));
      assert.ok(final.events >= 3, "the admin's registration, the product's creation and its adjustment");
      assert.ok(exactlyOnce(final), describeLedger(final).join("\n"));
    } finally {
      await db.end().catch(() => undefined);
      await nc?.close().catch(() => undefined);
      await stack.stop();
    }
  },
);

serviceTest(
  decided,
  "given NATS down, serve running the worker in process starts ready, and reports the event bus down without requiring it",
  async () => {
    const stack = await ProductionStack.start({ processes: [] });
    try {
      stack.nats.set("refuse");
      await stack.startProcess("serve", { WORKER__IN_PROCESS: "true" });
      const ready = await timed(`${stack.url("serve")}/health/ready`);
      const live = await timed(`${stack.url("serve")}/health/live`);
      const eventBus = ready.body?.data?.checks?.find((c: { name: string }) => c.name === "event-bus");
      console.log(
        `  serve with the worker in process, NATS refused: /health/ready ${ready.status} ` +
          `(checks: ${checkNames(ready.body).join(", ")}; event-bus ${eventBus?.status}, required: ${eventBus?.required}), ` +
          `/health/live ${live.status}`,
      );
      assert.is(ready.status, 200);
      assert.equal(checkNames(ready.body), [
        "cache",
        "database",
        "event-bus",
        "migrations",
        "payment-gateway",
        "redis",
        "relay-lag",
      ]);
      assert.equal([eventBus?.status, eventBus?.required], ["down", false]);
      assert.is(live.status, 200);
    } finally {
      await stack.stop();
    }
  },
);

serviceTest(
  decided,
  "given NATS down, a command that does not use the bus (keel replay) runs, and keel dead-letters list fails at once with one line and the unavailable exit code",
  async () => {
    const stack = await ProductionStack.start({ processes: [] });
    try {
      stack.nats.set("refuse");
      // serve migrates the schema (and shows once more that it needs no broker).
      await stack.startProcess("serve");
      const replay = spawnTs("src/bootstrap/cli.ts", ["replay", "product-stock-history"], stack.env);
      const replayed = await replay.exited();
      const started = performance.now();
      const command = spawnTs("src/bootstrap/cli.ts", ["dead-letters", "list"], stack.env);
      const code = await command.exited();
      const ms = performance.now() - started;
      console.log(
        [
          `  keel replay product-stock-history with NATS refused: exit ${replayed}: ${replay.stdout().trim()}`,
          `  keel dead-letters list with NATS refused: exit ${code} after ${ms.toFixed(0)} ms: ${command.stderr().trim()}`,
        ].join("\n"),
      );
      assert.is(replayed, 0, replay.stderr());
      assert.is(code, 69, command.stderr());
      assert.match(command.stderr(), /^keel: cannot start: NATS at 127\.0\.0\.1:\d+: .+\n$/);
    } finally {
      await stack.stop();
    }
  },
);

test.run();
