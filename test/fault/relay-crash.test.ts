/**
 * Fault test (issue "Messaging"): 2,000 stock adjustments go through keel's command bus while the
 * worker process — the outbox relay and the subscribers — is killed with SIGKILL twice and
 * restarted. Afterwards every event is in the stream once, the relay's checkpoint is the last event,
 * and each subscriber processed each of its events once; the counts are reconciled against the log
 * and printed.
 *
 * Loopback only (PostgreSQL and NATS on 127.0.0.1), every wait bounded and condition-based. The
 * worker is test/fixtures/fault-worker.ts (`keel worker` writing its log synchronously) with
 * EVENT_BUS__ACK_WAIT_MS=1000, so that a delivery cut off by a kill is redelivered within the test's time. The run gets a
 * schema of its own and a stream of its own, both removed afterwards.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import * as assert from "uvu/assert";
import { AdjustStock } from "../../src/application/product/adjust-stock.js";
import { CreateProduct } from "../../src/application/product/create-product.js";
import type { ExecutionContext } from "../../src/application/shared/execution-context.js";
import type { Command } from "../../src/application/shared/message.js";
import type { MessageBus } from "../../src/application/shared/message-bus.js";
import { appConfig, loadConfig } from "../../src/bootstrap/app-config.js";
import { ConfigStore } from "../../src/bootstrap/config/index.js";
import { buildContainer } from "../../src/bootstrap/container.js";
import { type Component, Lifecycle } from "../../src/bootstrap/lifecycle.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { Logger } from "../../src/ports/logger.js";
import { CapturedLog } from "../support/captured-log.js";
import {
  cleanEnv,
  PRODUCTION_SECRETS,
  type Spawned,
  spawnTs,
  waitForOutput,
} from "../support/child-process.js";
import { streamEventIds, streamMessages } from "../support/delivery-ledger.js";
import { eventually } from "../support/eventually.js";
import { deleteStreams, NATS_URL, natsDecision } from "../support/nats.js";
import { createTestSchema, postgresDecision, type TestSchema } from "../support/postgres.js";
import { type ServiceDecision, serviceTest } from "../support/services.js";
import { test } from "../support/uvu.js";

const PRODUCTS = 20;
const ADJUSTMENTS = 2000;
/** Concurrent command loops; each owns PRODUCTS / LOOPS products, so saves never conflict. */
const LOOPS = 5;
/** Adjustments per second over all loops: slow enough that both kills and restarts fall inside the load. */
const RATE = 250;
const INITIAL_STOCK = 20;
/** Four withdrawals of 4 take 20 to 4 (below the threshold of 5 on the fourth), a delivery of 16 refills. */
const PATTERN = [-4, -4, -4, -4, 16] as const;
const THRESHOLD = 5;
const KILLS = [500 + randomInt(0, 150), 1200 + randomInt(0, 150)] as const;
const ACK_WAIT_MS = 1000;

const STOCK_EVENTS = [
  "product.created",
  "product.stock_adjusted",
  "product.stock_reserved",
  "product.reservation_released",
  "product.reservation_committed",
];
const ALERT_EVENTS = ["product.stock_adjusted", "product.stock_reserved"];
const PROJECTION = "product-stock-history";
const ALERT = "product-low-stock-alert";

const context: ExecutionContext = {
  principal: { kind: "system", name: "fault-test" },
  correlationId: "relay-crash",
};

async function decision(): Promise<ServiceDecision> {
  const postgres = await postgresDecision();
  if (!postgres.run) return postgres;
  return natsDecision();
}

/** keel's command bus in this process, on the test database (APP_ENV=test migrates on start). */
async function openCommands(url: string) {
  const env = {
    APP_ENV: "test",
    PERSISTENCE__DRIVER: "postgres",
    DATABASE__URL: url,
    EVENT_BUS__DRIVER: "memory",
    LOG__LEVEL: "warn",
  };
  const read = () => loadConfig({ env, dir: "/nonexistent" });
  const loaded = read();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const container = buildContainer(
    new ConfigStore({ definition: appConfig, config: loaded.config, reread: read }),
    { logDestination: new CapturedLog() },
  );
  const lifecycle = new Lifecycle(container.get<Logger>(Logger));
  await lifecycle.start(container.getAll<Component>(Tokens.Components, { optional: true }));
  return {
    bus: container.get<MessageBus<Command<unknown>>>(Tokens.CommandBus),
    close: () => lifecycle.stop(),
  };
}

interface LogCounts {
  readonly events: number;
  /** Events at or before the relay's checkpoint: published and recorded as such. */
  readonly checkpointed: number;
}

async function logCounts(db: pg.Client): Promise<LogCounts> {
  const { rows } = await db.query<{ events: string; checkpointed: string }>(
    `select count(*) as events,
            count(*) filter (where c.name is not null
                               and (e.transaction_id, e.position) <= (c.transaction_id, c.position)) as checkpointed
       from events e left join relay_checkpoints c on c.name = 'relay'`,
  );
  return { events: Number(rows[0]?.events ?? 0), checkpointed: Number(rows[0]?.checkpointed ?? 0) };
}

/** Alerts the log calls for: adjustments that took available stock from >= threshold to below it. */
function expectedAlerts(events: readonly { type: string; data: Record<string, unknown> }[]): number {
  let alerts = 0;
  let available = 0;
  for (const event of events) {
    if (event.type === "product.created") available = Number(event.data.stock);
    if (event.type !== "product.stock_adjusted") continue;
    const before = available;
    available += Number(event.data.delta);
    if (before >= THRESHOLD && available < THRESHOLD) alerts += 1;
  }
  return alerts;
}

function logLines(worker: Spawned): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of worker.stdout().split("\n")) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === "object" && parsed !== null) lines.push(parsed as Record<string, unknown>);
    } catch {
      // A line cut off by SIGKILL, or not a log line.
    }
  }
  return lines;
}

const decided = await decision();

serviceTest(
  decided,
  "given 2,000 stock adjustments while the worker is SIGKILLed twice, every event is published once and every subscriber effect happens once",
  async () => {
    const started = Date.now();
    const stream = `keel_fault_${randomBytes(5).toString("hex")}`;
    const workers: Spawned[] = [];
    let query: pg.Client | undefined;
    let database: TestSchema | undefined;
    let commands: Awaited<ReturnType<typeof openCommands>> | undefined;
    let nc: NatsConnection | undefined;
    let failure: unknown;

    const startWorker = async (): Promise<Spawned> => {
      if (database === undefined) throw new Error("no database");
      if (failure !== undefined) throw new Error("not starting a worker: the run already failed");
      const worker = spawnTs(
        "test/fixtures/fault-worker.ts",
        [],
        cleanEnv({
          ...PRODUCTION_SECRETS,
          APP_ENV: "production",
          PERSISTENCE__DRIVER: "postgres",
          DATABASE__URL: database.url,
          EVENT_BUS__DRIVER: "nats",
          NATS__URL: NATS_URL,
          EVENT_BUS__STREAM: stream,
          MAIL__DRIVER: "log",
          LOG__LEVEL: "info",
          HTTP__HOST: "127.0.0.1",
          WORKER__HEALTH_PORT: "0",
          RELAY__POLL_MS: "50",
          PRODUCTS__LOW_STOCK_THRESHOLD: String(THRESHOLD),
          PRODUCTS__LOW_STOCK_ALERT_TO: "stock@shop.example",
          // A delivery in flight when the worker is killed holds its subscription until the ack wait
          // expires (max_ack_pending 1); a short one keeps each kill cheap.
          EVENT_BUS__ACK_WAIT_MS: String(ACK_WAIT_MS),
        }),
      );
      workers.push(worker);
      await waitForOutput(worker, /keel worker is running/, 20_000);
      return worker;
    };

    try {
      database = await createTestSchema();
      commands = await openCommands(database.url);
      const db = new pg.Client({ connectionString: database.url });
      query = db;
      await db.connect();
      nc = await connect({ servers: NATS_URL, timeout: 2000 });
      const natsConnection = nc;
      const bus = commands.bus;

      // Twenty products, one event each.
      const ids: string[] = [];
      for (let i = 0; i < PRODUCTS; i++) {
        const { id } = await bus.dispatch(
          new CreateProduct(context, {
            name: `Fault ${i}`,
            sku: `FAULT-${i}`,
            priceMinor: 100,
            currency: "EUR",
            initialStock: INITIAL_STOCK,
          }),
        );
        ids.push(id);
      }

      let worker = await startWorker();
      console.log(`  worker 1 running after ${Date.now() - started} ms`);

      // The load: LOOPS loops, each adjusting its own products in turn at RATE / LOOPS per second.
      let committed = 0;
      const perLoop = ADJUSTMENTS / LOOPS;
      const intervalMs = (1000 * LOOPS) / RATE;
      const loadStarted = Date.now();
      const loop = async (index: number): Promise<void> => {
        const own = ids.filter((_, i) => i % LOOPS === index);
        for (let k = 0; k < perLoop && failure === undefined; k++) {
          const due = loadStarted + k * intervalMs;
          if (due > Date.now()) await new Promise((done) => setTimeout(done, due - Date.now()));
          const id = own[k % own.length];
          const delta = PATTERN[Math.floor(k / own.length) % PATTERN.length];
          if (id === undefined || delta === undefined) throw new Error("no product or delta");
          await bus.dispatch(
            new AdjustStock({ ...context, correlationId: randomUUID() }, { id, delta, reason: `k${k}` }),
          );
          committed += 1;
        }
      };

      // The controller: at each kill point, wait until this worker's relay has moved the checkpoint
      // (it is active), then (bounded) until it is caught mid-batch — the stream holds events its
      // checkpoint does not cover yet — and SIGKILL the worker right then; note what the log and the
      // stream held once it is dead, and start another worker.
      const kills: string[] = [];
      const controller = async (): Promise<void> => {
        let baseline = 0;
        for (const [n, at] of KILLS.entries()) {
          await eventually(
            `${at} adjustments committed and the relay of worker ${n + 1} past checkpoint ${baseline}`,
            async () => ({ committed, checkpointed: (await logCounts(db)).checkpointed, failure }),
            (s) => s.failure !== undefined || (s.committed >= at && s.checkpointed > baseline),
            20_000,
          );
          if (failure !== undefined) return;
          // The stream is read before the checkpoint, so "ahead" means ahead at the second read.
          const midBatch = await eventually(
            `the relay of worker ${n + 1} mid-batch`,
            async () => {
              const inStream = await streamMessages(natsConnection, stream);
              return inStream - (await logCounts(db)).checkpointed;
            },
            (ahead) => ahead > 0,
            5000,
          ).then(
            () => true,
            () => false,
          );
          const killedAt = committed;
          worker.child.kill("SIGKILL");
          assert.is(await worker.exited(), "SIGKILL");
          const log = await logCounts(db);
          const inStream = await streamMessages(natsConnection, stream);
          kills.push(
            `kill ${n + 1} (${midBatch ? "sent with the relay seen mid-batch" : "relay not seen mid-batch within 5 s"}): ` +
              `after ${killedAt} adjustments committed (${log.events} events in the log); ` +
              `checkpoint covered ${log.checkpointed}, stream held ${inStream} → ` +
              `${inStream - log.checkpointed} published but not checkpointed (to be re-published), ` +
              `${log.events - inStream} not yet published`,
          );
          baseline = log.checkpointed;
          const restarting = Date.now();
          worker = await startWorker();
          kills.push(`  worker ${n + 2} running ${Date.now() - restarting} ms after the kill`);
        }
      };

      const settled = await Promise.allSettled([
        ...Array.from({ length: LOOPS }, (_, i) =>
          loop(i).catch((error: unknown) => {
            failure ??= error;
            throw error;
          }),
        ),
        controller().catch((error: unknown) => {
          failure ??= error;
          throw error;
        }),
      ]);
      for (const result of settled) if (result.status === "rejected") throw result.reason;
      const loadMs = Date.now() - loadStarted;
      assert.is(committed, ADJUSTMENTS);
      assert.is(workers.length, KILLS.length + 1);

      // Wait (bounded) until the last worker has published everything and both subscribers caught up.
      const jsm = await jetstreamManager(natsConnection);
      const progress = async () => {
        const { rows } = await db.query<{
          events: string;
          stock_events: string;
          alert_events: string;
          movements: string;
          projection_inbox: string;
          alert_inbox: string;
          caught_up: boolean;
        }>(
          `select (select count(*) from events) as events,
                  (select count(*) from events where type = any($1)) as stock_events,
                  (select count(*) from events where type = any($2)) as alert_events,
                  (select count(*) from product_stock_movements) as movements,
                  (select count(*) from inbox where subscriber = $3) as projection_inbox,
                  (select count(*) from inbox where subscriber = $4) as alert_inbox,
                  coalesce((select (c.transaction_id, c.position) = (e.transaction_id, e.position)
                              from relay_checkpoints c,
                                   (select transaction_id, position from events
                                     order by transaction_id desc, position desc limit 1) e
                             where c.name = 'relay'), false) as caught_up`,
          [STOCK_EVENTS, ALERT_EVENTS, PROJECTION, ALERT],
        );
        const row = rows[0];
        const consumers = await jsm.consumers.list(stream).next();
        return {
          events: Number(row?.events),
          stockEvents: Number(row?.stock_events),
          alertEvents: Number(row?.alert_events),
          movements: Number(row?.movements),
          projectionInbox: Number(row?.projection_inbox),
          alertInbox: Number(row?.alert_inbox),
          caughtUp: row?.caught_up === true,
          unsettled: consumers.reduce((sum, c) => sum + c.num_pending + c.num_ack_pending, 0),
          consumers: consumers.length,
        };
      };
      const drainStarted = Date.now();
      const final = await eventually(
        "the relay and every subscriber to catch up with the log",
        progress,
        (p) =>
          p.caughtUp &&
          p.movements === p.stockEvents &&
          p.projectionInbox === p.stockEvents &&
          p.alertInbox === p.alertEvents &&
          // The two product subscribers, the cache's invalidation (it drops each product's entry), and
          // three with nothing to do here: the welcome mail, the order checkout and the order summary.
          p.consumers === 6 &&
          p.unsettled === 0,
        // Three subscribers now work through the 2,000 product events one at a time each (the cache's
        // invalidation joined the two product ones), at 60–80 events/s apiece after the kills.
        60_000,
      );
      const drainMs = Date.now() - drainStarted;

      // Reconcile against the log.
      const events = (
        await db.query<{ id: string; type: string; data: Record<string, unknown> }>(
          "select id, type, data from events order by aggregate_id, aggregate_version",
        )
      ).rows;
      const stockIds = new Set(events.filter((e) => STOCK_EVENTS.includes(e.type)).map((e) => e.id));
      const alertIds = new Set(events.filter((e) => ALERT_EVENTS.includes(e.type)).map((e) => e.id));
      const movementIds = (
        await db.query<{ event_id: string }>("select event_id from product_stock_movements")
      ).rows.map((r) => r.event_id);
      const inbox = (
        await db.query<{ subscriber: string; event_id: string }>("select subscriber, event_id from inbox")
      ).rows;
      const projectionInbox = inbox.filter((r) => r.subscriber === PROJECTION).map((r) => r.event_id);
      const alertInbox = inbox.filter((r) => r.subscriber === ALERT).map((r) => r.event_id);
      const missing = (expected: Set<string>, seen: readonly string[]) => {
        const have = new Set(seen);
        return [...expected].filter((id) => !have.has(id)).length;
      };
      const extra = (expected: Set<string>, seen: readonly string[]) =>
        seen.filter((id) => !expected.has(id)).length;
      const duplicates = (seen: readonly string[]) => seen.length - new Set(seen).size;

      // The projection's effect, checked against state: per product, the movements add up to on hand.
      const mismatched = (
        await db.query<{ id: string }>(
          `select p.id from products p
             left join (select product_id, sum(quantity) as total from product_stock_movements group by product_id) m
               on m.product_id = p.id
            where coalesce(m.total, 0) <> p.on_hand`,
        )
      ).rows.length;
      const wrongQuantity = (
        await db.query<{ event_id: string }>(
          `select m.event_id from product_stock_movements m join events e on e.id = m.event_id
            where m.quantity <> coalesce((e.data->>'delta')::int, (e.data->>'stock')::int)`,
        )
      ).rows.length;

      // The stream: each event once, nothing dead-lettered.
      const inStream = await streamEventIds(natsConnection, stream);
      const streamDuplicates = [...inStream.values()].filter((count) => count > 1).length;
      const streamMissing = events.filter((e) => !inStream.has(e.id)).length;
      const streamTotal = [...inStream.values()].reduce((a, b) => a + b, 0);
      const deadLetters = await streamMessages(natsConnection, `${stream}_dead_letters`);

      // The last worker stops cleanly on SIGTERM, within a bound.
      worker.child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        worker.exited(),
        new Promise<string>((done) => {
          timer = setTimeout(() => done("still running after 10 s"), 10_000);
        }),
      ]);
      clearTimeout(timer);

      // Mails (the log mailer's lines from every worker): at least once, at most one extra per kill.
      // Each is logged before its inbox mark commits; the wait only lets this process read the pipes.
      const alertsExpected = expectedAlerts(events);
      const countMails = () =>
        workers.flatMap(logLines).filter((l) => l.msg === "mail not sent (log mailer)").length;
      const mails = await eventually("the mail lines", countMails, (n) => n >= alertsExpected, 2000).catch(
        countMails,
      );
      const relayFailures = workers.flatMap(logLines).filter((l) => l.msg === "relay round failed; retrying");

      const yesNo = (b: boolean) => (b ? "yes" : "no");
      console.log(
        [
          ...kills.map((line) => `  ${line}`),
          `  load: ${committed} adjustments in ${loadMs} ms; caught up ${drainMs} ms after the last one`,
          `  events in log: ${events.length} (stock events: ${stockIds.size}, alert-relevant: ${alertIds.size})`,
          `  published (relay checkpoint reached the last event): ${yesNo(final.caughtUp)}; ` +
            `stream messages: ${streamTotal}, duplicates: ${streamDuplicates}, missing: ${streamMissing}, dead letters: ${deadLetters}`,
          `  projection rows: ${movementIds.length}, duplicates: ${duplicates(movementIds)}, ` +
            `missing: ${missing(stockIds, movementIds)}, unexpected: ${extra(stockIds, movementIds)}, ` +
            `wrong quantity: ${wrongQuantity}, products whose movements do not sum to on hand: ${mismatched}`,
          `  inbox rows for the projection: ${projectionInbox.length} (missing: ${missing(stockIds, projectionInbox)}, ` +
            `unexpected: ${extra(stockIds, projectionInbox)})`,
          `  inbox rows for the low-stock alert: ${alertInbox.length} (missing: ${missing(alertIds, alertInbox)}, ` +
            `unexpected: ${extra(alertIds, alertInbox)})`,
          `  low-stock alerts called for by the log: ${alertsExpected}, mailed (log mailer lines): ${mails} ` +
            `(mail is at least once: at most one extra per kill)`,
          `  relay rounds failed: ${relayFailures.length}; last worker on SIGTERM: ${exit}; total ${Date.now() - started} ms`,
        ].join("\n"),
      );

      assert.is(events.length, PRODUCTS + ADJUSTMENTS);
      assert.ok(final.caughtUp, "the relay checkpoint is the last event");
      assert.is(streamTotal, events.length, "one stream message per event");
      assert.is(streamDuplicates, 0, "no event id twice in the stream");
      assert.is(streamMissing, 0, "every event in the stream");
      assert.is(deadLetters, 0, "nothing dead-lettered");
      assert.is(movementIds.length, stockIds.size);
      assert.is(missing(stockIds, movementIds), 0);
      assert.is(extra(stockIds, movementIds), 0);
      assert.is(wrongQuantity, 0);
      assert.is(mismatched, 0);
      assert.is(projectionInbox.length, stockIds.size);
      assert.is(missing(stockIds, projectionInbox), 0);
      assert.is(alertInbox.length, alertIds.size);
      assert.is(missing(alertIds, alertInbox), 0);
      assert.ok(
        mails >= alertsExpected && mails <= alertsExpected + KILLS.length,
        `mails ${mails} within [${alertsExpected}, ${alertsExpected + KILLS.length}]`,
      );
      assert.is(exit, 0, "the last worker exits 0 on SIGTERM");
    } finally {
      for (const worker of workers) {
        if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
      }
      await Promise.all(workers.map((worker) => worker.exited()));
      await query?.end().catch(() => undefined);
      await commands?.close().catch(() => undefined);
      await nc?.close().catch(() => undefined);
      await database?.drop();
      await deleteStreams(stream, `${stream}_dead_letters`);
    }
  },
);

test.run();
