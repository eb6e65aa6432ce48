/**
 * Fault test (issue "Messaging", item 12): the worker is SIGKILLed while its subscribers are in the
 * middle of a backlog, with the default ack wait (EVENT_BUS__ACK_WAIT_MS is not set: 5 s). Each
 * subscriber had one delivery in flight (max_ack_pending 1), which JetStream hands out again only
 * once the ack wait has run out; a restarted worker's subscribers must be moving again within 10 s
 * of the restart (they stalled for about 30 s with the old 30 s ack wait). Afterwards every event is
 * processed exactly once (the in-flight ones were redelivered; the inbox drops what had committed).
 * Prints the backlog at the kill and the measured times.
 *
 * Loopback only; serve and worker are the production stack's processes, killed by their own PIDs.
 */
import { randomBytes } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import * as assert from "uvu/assert";
import { describeLedger, exactlyOnce, ledger, progress } from "../support/delivery-ledger.js";
import { eventually } from "../support/eventually.js";
import { NATS_URL } from "../support/nats.js";
import { ProductionStack, stackDecision } from "../support/production-stack.js";
import { serviceTest } from "../support/services.js";
import { adminHeaders, hold, tally, timed } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";

const PRODUCTS = 10;
const ADJUSTMENTS = 600;
const WRITE_LOOPS = 5;
/** Subscribers that every adjustment reaches: each must move again after the restart. */
const MOVING = ["product-stock-history", "product-low-stock-alert"] as const;
const MOVE_AGAIN_WITHIN_MS = 10_000;

async function processed(db: pg.Client): Promise<Record<string, number>> {
  const { rows } = await db.query<{ subscriber: string; n: string }>(
    "select subscriber, count(*) as n from inbox group by subscriber",
  );
  return Object.fromEntries(rows.map((row) => [row.subscriber, Number(row.n)]));
}

serviceTest(
  await stackDecision(),
  "given subscribers in the middle of a backlog, when the worker is SIGKILLed and restarted with the default ack wait, then every subscriber moves again within 10 s of the restart and each event is processed once",
  async () => {
    const stack = await ProductionStack.start({
      env: { RATE_LIMIT__LOGIN__IP_POINTS: "100000" },
    });
    const db = new pg.Client({ connectionString: stack.schema.url });
    let nc: NatsConnection | undefined;
    try {
      assert.is(stack.env.EVENT_BUS__ACK_WAIT_MS, undefined, "the default ack wait is under test");
      await db.connect();
      const serve = stack.url("serve");
      const headers = await adminHeaders(stack);
      const run = randomBytes(3).toString("hex").toUpperCase();
      const ids: string[] = [];
      for (let i = 0; i < PRODUCTS; i++) {
        const created = await timed(`${serve}/api/v1/products`, {
          method: "POST",
          headers,
          json: { name: `Crash ${i}`, sku: `CRASH-${run}-${i}`, price: 100, currency: "EUR", stock: 1000 },
        });
        assert.is(created.status, 201, JSON.stringify(created.body));
        ids.push(created.body.data.id);
      }

      // The backlog: writes as fast as serve takes them; the subscribers (one event at a time) fall behind.
      const writes = await Promise.all(
        Array.from({ length: WRITE_LOOPS }, async (_, loop) => {
          const answers = [];
          for (let k = loop; k < ADJUSTMENTS; k += WRITE_LOOPS) {
            answers.push(
              await timed(`${serve}/api/v1/products/${ids[k % PRODUCTS]}/stock-adjustments`, {
                method: "POST",
                headers,
                json: { delta: k % 2 === 0 ? -1 : 1, reason: `backlog ${k}` },
              }),
            );
          }
          return answers;
        }),
      ).then((loops) => loops.flat());
      assert.ok(
        writes.every((w) => w.status === 200),
        tally(writes),
      );

      // Mid-backlog: both subscribers have started on it and are far from done. Then the kill, at a
      // moment when JetStream holds a delivery of each in flight (handed out, not yet acknowledged):
      // those are what a crash leaves waiting for the ack wait. Tried again (at most 3 times) when the
      // kill lands between two deliveries of both.
      nc = await connect({ servers: NATS_URL, timeout: 2000 });
      const jsm = await jetstreamManager(nc);
      const inFlight = async () =>
        Promise.all(
          MOVING.map(async (name) => (await jsm.consumers.info(stack.stream, name)).num_ack_pending),
        );
      const kills: string[] = [];
      let afterKill: Record<string, number> = {};
      let pendingAtKill: number[] = [];
      let killedAt = 0;
      let restartedAt = 0;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const processedBefore = await eventually(
          "both subscribers in the middle of the backlog",
          async () => {
            await hold(50);
            return processed(db);
          },
          (p) => MOVING.every((name) => (p[name] ?? 0) > 50 && (p[name] ?? 0) < ADJUSTMENTS - 100),
          30_000,
        );
        await eventually("a delivery of each in flight", inFlight, (n) => n.every((p) => p > 0), 5000).catch(
          () => undefined,
        );
        const worker = stack.running.get("worker")?.spawned;
        if (worker === undefined) throw new Error("no worker");
        killedAt = performance.now();
        worker.child.kill("SIGKILL");
        assert.is(await worker.exited(), "SIGKILL");
        pendingAtKill = await inFlight();
        afterKill = await processed(db);
        kills.push(
          `kill ${attempt}: ${MOVING.map((name, i) => `${name} ${afterKill[name] ?? 0} processed (${processedBefore[name]} when the kill was decided), ${pendingAtKill[i]} in flight`).join("; ")}`,
        );
        await stack.startProcess("worker");
        restartedAt = performance.now();
        if (pendingAtKill.some((n) => n > 0)) break;
      }
      const moved: Record<string, number> = {};
      await eventually(
        "every subscriber to move again",
        async () => {
          await hold(50);
          const now = await processed(db);
          for (const name of MOVING)
            if (moved[name] === undefined && (now[name] ?? 0) > (afterKill[name] ?? 0))
              moved[name] = performance.now() - restartedAt;
          return moved;
        },
        (m) => MOVING.every((name) => m[name] !== undefined),
        30_000,
      );
      await eventually(
        "the subscribers to work through the backlog",
        () => progress(db, 250),
        (p) => p.published && p.behind === 0,
        60_000,
      );
      const drainedMs = performance.now() - restartedAt;
      const final = await ledger(db, nc, stack.stream);

      console.log(
        [
          `  backlog: ${ADJUSTMENTS} adjustments written (${tally(writes)})`,
          ...kills.map((line) => `  ${line}`),
          `  worker restarted ${(restartedAt - killedAt).toFixed(0)} ms after the last kill (default ack wait 5 s)`,
          `  moving again after the restart: ${MOVING.map((name) => `${name} in ${moved[name]?.toFixed(0)} ms`).join(", ")} ` +
            `(${MOVING.map((name) => `${((moved[name] ?? 0) + restartedAt - killedAt).toFixed(0)}`).join(" and ")} ms after the kill)`,
          `  backlog worked through ${(drainedMs / 1000).toFixed(1)} s after the restart`,
          ...describeLedger(final).map((line) => `  ${line}`),
        ].join("\n"),
      );

      assert.ok(
        pendingAtKill.some((n) => n > 0),
        "the kill left a delivery in flight (the case under test)",
      );
      for (const name of MOVING)
        assert.ok(
          (moved[name] ?? Number.POSITIVE_INFINITY) < MOVE_AGAIN_WITHIN_MS,
          `${name} moved again ${moved[name]?.toFixed(0)} ms after the restart`,
        );
      assert.ok(exactlyOnce(final), describeLedger(final).join("\n"));
    } finally {
      await db.end().catch(() => undefined);
      await nc?.close().catch(() => undefined);
      await stack.stop();
    }
  },
);

test.run();
