/**
 * Fault test (issue "Messaging", items 6 and 7): `keel serve` and `keel worker`, production profile,
 * each its own process, while NATS is cut at the proxy for OUTAGE_S seconds (FAULT_NATS_OUTAGE_S, 60
 * by default: three times the ~18 s after which the client used to give up for good) — connections
 * refused and open ones closed, as a server that is down — under a steady load of reads and
 * authenticated writes.
 *
 * Serve answers every read and write, and its readiness does not list the bus. The worker stays alive
 * (an outage is not beyond recovery) but is not ready. Once NATS is back the worker recovers on its
 * own, and every event written meanwhile is delivered exactly once: reconciled against the log, the
 * stream, each subscriber's inbox and the projection's rows. Prints the requests and statuses during
 * the outage, the probes, the time to recover and the events written and delivered.
 *
 * Loopback only; the shared NATS is never touched, only the stack's proxy to it.
 */
import { randomBytes } from "node:crypto";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import * as assert from "uvu/assert";
import { describeLedger, exactlyOnce, inboxTallies, ledger, progress } from "../support/delivery-ledger.js";
import { eventually } from "../support/eventually.js";
import { NATS_URL } from "../support/nats.js";
import { ProductionStack, stackDecision } from "../support/production-stack.js";
import { serviceTest } from "../support/services.js";
import { type Answer, adminHeaders, hold, logLines, tally, timed } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";

const OUTAGE_S = Number(process.env.FAULT_NATS_OUTAGE_S ?? 60);
/** RELAY__MAX_LAG_S for this stack: short enough that the lag shows well within the outage. */
const MAX_LAG_S = 10;
const WRITES_PER_S = 10;
const READS_PER_S = 10;
const PRODUCTS = 4;
/** How long after NATS is back the worker must have delivered everything, without a restart. */
const RECOVERY_BOUND_MS = 30_000;

interface Probe {
  readonly at: number;
  readonly serveReady: Answer;
  readonly serveLive: Answer;
  readonly workerReady: Answer;
  readonly workerLive: Answer;
}

interface Check {
  readonly name: string;
  readonly status: string;
  readonly error?: string;
}

function checks(answer: Answer): Check[] {
  return answer.body?.data?.checks ?? [];
}

function checkOf(answer: Answer, name: string): Check | undefined {
  return checks(answer).find((check) => check.name === name);
}

/** "200 ×58, 503 ×2": how often each value came back. */
function counted(values: readonly (string | number)[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
  return [...counts].map(([value, n]) => `${value} ×${n}`).join(", ");
}

serviceTest(
  await stackDecision(),
  `given serve and worker under reads and writes, when NATS is down for ${OUTAGE_S} s, then serve answers everything, the worker stays alive and recovers on its own, and every event written meanwhile is delivered exactly once`,
  async () => {
    const testStarted = performance.now();
    const stack = await ProductionStack.start({
      env: {
        PRODUCTS__LOW_STOCK_THRESHOLD: "5",
        RELAY__MAX_LAG_S: String(MAX_LAG_S),
      },
    });
    const db = new pg.Client({ connectionString: stack.schema.url });
    let nc: NatsConnection | undefined;
    try {
      await db.connect();
      nc = await connect({ servers: NATS_URL, timeout: 2000 });
      const serve = stack.url("serve");
      const worker = stack.url("worker");
      const headers = await adminHeaders(stack);
      const run = randomBytes(3).toString("hex").toUpperCase();
      const ids: string[] = [];
      for (let i = 0; i < PRODUCTS; i++) {
        const created = await timed(`${serve}/api/v1/products`, {
          method: "POST",
          headers,
          json: { name: `Outage ${i}`, sku: `NATS-${run}-${i}`, price: 100, currency: "EUR", stock: 8 },
        });
        assert.is(created.status, 201, JSON.stringify(created.body));
        ids.push(created.body.data.id);
      }
      // Before the outage the pipeline is healthy: everything so far delivered.
      await eventually(
        "the subscribers to catch up before the outage",
        () => progress(db),
        (p) => p.published && p.behind === 0,
        20_000,
      );
      const eventsBefore = (await inboxTallies(db)).events;

      // The outage, under load.
      const writes: Answer[] = [];
      const reads: Answer[] = [];
      const probes: Probe[] = [];
      const cutAt = performance.now();
      const until = cutAt + OUTAGE_S * 1000;
      stack.nats.set("refuse");
      const during = () => performance.now() < until;
      const paced = async (perSecond: number, body: (k: number) => Promise<void>) => {
        for (let k = 0; during(); k++) {
          const wait = cutAt + (k * 1000) / perSecond - performance.now();
          if (wait > 0) await hold(wait);
          if (during()) await body(k);
        }
      };
      // Deltas of -3, -3, +6 per product: stock 8 → 5 → 2 (below the threshold: an alert) → 8.
      const deltas = [-3, -3, 6];
      await Promise.all([
        paced(WRITES_PER_S, async (k) => {
          const id = ids[k % PRODUCTS];
          const delta = deltas[Math.floor(k / PRODUCTS) % deltas.length];
          writes.push(
            await timed(`${serve}/api/v1/products/${id}/stock-adjustments`, {
              method: "POST",
              headers,
              json: { delta, reason: `outage ${k}` },
            }),
          );
        }),
        paced(READS_PER_S, async (k) => {
          reads.push(await timed(`${serve}/api/v1/products/${ids[k % PRODUCTS]}`));
        }),
        paced(1, async () => {
          const [serveReady, serveLive, workerReady, workerLive] = await Promise.all([
            timed(`${serve}/health/ready`),
            timed(`${serve}/health/live`),
            timed(`${worker}/health/ready`),
            timed(`${worker}/health/live`),
          ]);
          probes.push({ at: performance.now() - cutAt, serveReady, serveLive, workerReady, workerLive });
        }),
      ]);
      const aliveDuring = { serve: stack.alive("serve"), worker: stack.alive("worker") };

      // NATS is back: nothing is restarted.
      stack.nats.set("pass");
      const backAt = performance.now();
      const workerReadyAt = await eventually(
        "the worker to be ready again",
        async () => {
          await hold(100);
          return (await timed(`${worker}/health/ready`)).status;
        },
        (status) => status === 200,
        RECOVERY_BOUND_MS,
      ).then(() => performance.now() - backAt);
      const publishedAt = await eventually(
        "the relay to publish the whole log",
        () => progress(db),
        (p) => p.published,
        RECOVERY_BOUND_MS,
      ).then(() => performance.now() - backAt);
      const deliveredAt = await eventually(
        "every subscriber to catch up with the log",
        () => progress(db),
        (p) => p.published && p.behind === 0,
        RECOVERY_BOUND_MS,
      ).then(() => performance.now() - backAt);
      const final = await ledger(db, nc, stack.stream);

      const workerLog = logLines(stack.running.get("worker")?.spawned.stdout() ?? "");
      const said = (msg: string) => workerLog.filter((line) => line.msg === msg).length;
      const acknowledged = writes.filter((w) => w.status === 200).length;
      const longest = (answers: readonly Answer[]) => Math.max(0, ...answers.map((a) => a.ms)).toFixed(0);
      const eventBusDown = probes.filter((p) => checkOf(p.workerReady, "event-bus")?.status === "down");
      const firstDown = eventBusDown[0];
      const lag = probes.map((p) => checkOf(p.workerReady, "relay-lag")?.status ?? "absent");
      console.log(
        [
          `  outage: NATS refused at the proxy for ${OUTAGE_S} s`,
          `  writes during the outage: ${writes.length} (${tally(writes)}), longest ${longest(writes)} ms`,
          `  reads during the outage: ${reads.length} (${tally(reads)}), longest ${longest(reads)} ms`,
          `  serve /health/ready: ${counted(probes.map((p) => p.serveReady.status))}; checks listed: ` +
            `${[...new Set(probes.flatMap((p) => checks(p.serveReady).map((c) => c.name)))].join(", ")}`,
          `  serve /health/live: ${counted(probes.map((p) => p.serveLive.status))}`,
          `  worker /health/live: ${counted(probes.map((p) => p.workerLive.status))}`,
          `  worker /health/ready: ${counted(probes.map((p) => p.workerReady.status))}; event-bus down in ` +
            `${eventBusDown.length} of ${probes.length} probes, the first ${firstDown?.at.toFixed(0)} ms into the ` +
            `outage ("${firstDown === undefined ? "" : checkOf(firstDown.workerReady, "event-bus")?.error}")`,
          `  worker relay-lag check during the outage (threshold ${MAX_LAG_S} s): ${counted(lag)}`,
          `  worker log: "event bus disconnected" ×${said("event bus disconnected; reconnecting")}, ` +
            `"relay round failed" ×${said("relay round failed; retrying")}, "relay recovered" ×${said("relay recovered")}, ` +
            `"event bus reconnected" ×${said("event bus reconnected")}`,
          `  after NATS came back: worker ready in ${workerReadyAt.toFixed(0)} ms, log published in ` +
            `${publishedAt.toFixed(0)} ms, every subscriber caught up in ${deliveredAt.toFixed(0)} ms`,
          `  events: ${eventsBefore} before the outage, ${acknowledged} writes acknowledged during it, ` +
            `${final.events} in the log at the end`,
          ...describeLedger(final).map((line) => `  ${line}`),
          `  total ${((performance.now() - testStarted) / 1000).toFixed(1)} s`,
        ].join("\n"),
      );

      assert.ok(aliveDuring.serve && aliveDuring.worker, "neither process exited during the outage");
      assert.ok(stack.alive("serve") && stack.alive("worker"), "neither process exited afterwards");
      assert.ok(writes.length > 0 && reads.length > 0);
      assert.ok(
        writes.every((w) => w.status === 200),
        `every write acknowledged: ${tally(writes)}`,
      );
      assert.ok(
        reads.every((r) => r.status === 200),
        `every read answered: ${tally(reads)}`,
      );
      assert.ok(
        probes.every((p) => p.serveReady.status === 200 && checkOf(p.serveReady, "event-bus") === undefined),
        "serve stays ready and never lists the event bus",
      );
      assert.ok(
        probes
          .filter((p) => p.at > (MAX_LAG_S + 3) * 1000)
          .every((p) => checkOf(p.workerReady, "relay-lag")?.status === "down"),
        `the relay's lag shows once the oldest unpublished event is older than ${MAX_LAG_S} s: ${counted(lag)}`,
      );
      assert.ok(
        probes.every((p) => p.serveLive.status === 200 && p.workerLive.status === 200),
        "both stay alive: an outage is not beyond recovery",
      );
      // The worker notices within its ping interval at worst; the refused proxy closes its connection at once.
      assert.ok(
        probes.filter((p) => p.at > 3000).every((p) => p.workerReady.status === 503),
        "the worker is not ready while the bus is down",
      );
      assert.is(
        final.events,
        eventsBefore + acknowledged,
        "every acknowledged write is one event in the log",
      );
      assert.ok(exactlyOnce(final), describeLedger(final).join("\n"));
      assert.ok(deliveredAt < RECOVERY_BOUND_MS);
    } finally {
      await db.end().catch(() => undefined);
      await nc?.close().catch(() => undefined);
      await stack.stop();
    }
  },
);

test.run();
