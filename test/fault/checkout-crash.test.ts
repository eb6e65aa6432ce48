/**
 * Fault test (issue "Orders"): 500 checkouts go through `keel serve` over HTTP while `keel worker`
 * — the relay, the checkout's subscriber and its jobs — is SIGKILLed twice with work in flight
 * (first with a reservation half done, then with a confirmation mail job running), and started
 * again each time. Afterwards (a bounded wait) every order is
 * confirmed, paid or rejected; each product's reserved stock is exactly the lines of its confirmed
 * and paid orders, with nothing shipped and nothing negative; and every confirmed order's mail went
 * out, duplicates counted.
 *
 * Mail: the workers run MAIL__DRIVER=log through test/fixtures/fault-worker.ts (`keel worker` with a
 * synchronous log), so each mail's line is on the pipe before the job can be recorded done, and the
 * test counts the lines over every worker incarnation's stdout. A mail is a job, sent outside any
 * transaction and recorded done afterwards: a kill between the two sends it again when the job is
 * retried. That is at least once by design; a second mail is accepted only for an order whose mail
 * job was started more than once (a killed worker held it), and every such duplicate is printed.
 *
 * Loopback only (PostgreSQL and NATS on 127.0.0.1); every process is this test's own, stopped by its
 * PID; the schema and the two streams are removed afterwards, and a failed clean-up fails the run.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import * as assert from "uvu/assert";
import {
  cleanEnv,
  PRODUCTION_SECRETS,
  type Spawned,
  spawnTs,
  waitForOutput,
} from "../support/child-process.js";
import { eventually } from "../support/eventually.js";
import { deleteStreams, NATS_URL, natsDecision } from "../support/nats.js";
import { createTestSchema, postgresDecision, type TestSchema } from "../support/postgres.js";
import type { ServiceDecision } from "../support/services.js";
import { type Answer, logLines, tally, timed } from "../support/stack-requests.js";
import { suite } from "../support/uvu.js";

const ORDERS = 500;
const CUSTOMERS = 5;
/** Concurrent placing loops, paced together at RATE orders per second. */
const PLACERS = 8;
const RATE = 30;
/** Three products run out part way (orders are rejected, some after reserving a line), three never. */
const PRODUCTS = [
  { name: "Oak chair", stock: 200 },
  { name: "Desk lamp", stock: 250 },
  { name: "Floor rug", stock: 300 },
  { name: "Pine shelf", stock: 100_000 },
  { name: "Wall clock", stock: 100_000 },
  { name: "Tea towel", stock: 100_000 },
] as const;
/** The worker is killed once this many orders are settled (confirmed, paid or rejected). */
const KILL_AFTER_SETTLED = [90 + randomInt(0, 30), 260 + randomInt(0, 40)] as const;
const JOBS_CONCURRENCY = 4;
const LEASE_MS = 3000;
const ACK_WAIT_MS = 1000;
/** Once the last order is placed, everything must have settled within this. */
const DRAIN_MS = 45_000;
const ADMIN = {
  email: `ops-${randomBytes(4).toString("hex")}@keel.test`,
  password: "checkout-crash-admin-passphrase",
};
const ADDRESS = {
  name: "Ann Lee",
  lines: ["Hauptstraße 5"],
  city: "Berlin",
  postal_code: "10115",
  country: "de",
};
const CONFIRMATION = /^Your order (\S+) is confirmed$/;

interface Placed {
  readonly id: string;
  readonly customer: number;
  readonly lines: readonly { readonly product_id: string; readonly quantity: number }[];
  readonly pay: boolean;
}

interface Context {
  schema?: TestSchema;
  stream: string;
  env: NodeJS.ProcessEnv;
  serve?: Spawned;
  serveUrl: string;
  workers: Spawned[];
  db?: pg.Client;
}

async function decision(): Promise<ServiceDecision> {
  const postgres = await postgresDecision();
  return postgres.run ? natsDecision() : postgres;
}

const decided = await decision();
const crash = suite<Context>("checkout under worker crashes", {
  stream: `keel_checkout_fault_${randomBytes(5).toString("hex")}`,
  env: {},
  serveUrl: "",
  workers: [],
});

async function startWorker(context: Context): Promise<Spawned> {
  const worker = spawnTs("test/fixtures/fault-worker.ts", [], context.env);
  context.workers.push(worker);
  await waitForOutput(worker, /keel worker is running/, 30_000);
  return worker;
}

/** SIGTERM, then SIGKILL if it is still running after `ms`; resolves with how it ended. */
async function stop(spawned: Spawned, ms = 10_000): Promise<number | string> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) return spawned.exited();
  spawned.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((done) => {
    timer = setTimeout(() => done("late"), ms);
  });
  const ended = await Promise.race([spawned.exited(), late]);
  clearTimeout(timer);
  if (ended !== "late") return ended;
  spawned.child.kill("SIGKILL");
  return `${await spawned.exited()} (after SIGTERM went unanswered for ${ms} ms)`;
}

if (decided.run) {
  crash.before(async (context) => {
    context.schema = await createTestSchema();
    context.env = cleanEnv({
      ...PRODUCTION_SECRETS,
      APP_ENV: "production",
      // The memory payment gateway approves every charge; production takes it only with this.
      ALLOW_MEMORY_ADAPTERS: "true",
      ORDERS__PAYMENT_GATEWAY: "memory",
      HTTP__HOST: "127.0.0.1",
      HTTP__PORT: "0",
      WORKER__HEALTH_PORT: "0",
      WORKER__IN_PROCESS: "false",
      LOG__LEVEL: "info",
      PERSISTENCE__DRIVER: "postgres",
      DATABASE__URL: context.schema.url,
      DATABASE__MIGRATE_ON_START: "true",
      EVENT_BUS__DRIVER: "nats",
      EVENT_BUS__STREAM: context.stream,
      NATS__URL: NATS_URL,
      // A delivery cut off by a kill is handed out again after this.
      EVENT_BUS__ACK_WAIT_MS: String(ACK_WAIT_MS),
      RELAY__POLL_MS: "50",
      JOBS__POLL_MS: "50",
      JOBS__CONCURRENCY: String(JOBS_CONCURRENCY),
      // A killed worker's claimed jobs are claimed again once this has run out.
      JOBS__LEASE_MS: String(LEASE_MS),
      RATE_LIMIT__ENABLED: "false",
      RATE_LIMIT__STORE: "memory",
      MAIL__DRIVER: "log",
      AUTH__BOOTSTRAP_ADMIN__EMAIL: ADMIN.email,
      AUTH__BOOTSTRAP_ADMIN__PASSWORD: ADMIN.password,
    });
    // serve migrates the schema first; the workers start on it.
    context.serve = spawnTs("src/bootstrap/cli.ts", ["serve"], context.env);
    const [, port] = await waitForOutput(context.serve, /"port":(\d+)[^\n]*"msg":"keel is serving"/, 30_000);
    context.serveUrl = `http://127.0.0.1:${port}`;
    context.db = new pg.Client({ connectionString: context.schema.url });
    await context.db.connect();
  });

  crash.after(async (context) => {
    const problems: string[] = [];
    for (const spawned of [context.serve, ...context.workers]) {
      if (spawned !== undefined) await stop(spawned, 5000);
    }
    await context.db?.end().catch((error: unknown) => problems.push(`closing the query client: ${error}`));
    await context.schema
      ?.drop()
      .catch((error: unknown) => problems.push(`dropping schema ${context.schema?.name}: ${error}`));
    const streams = [context.stream, `${context.stream}_dead_letters`];
    await deleteStreams(...streams).catch((error: unknown) => problems.push(`deleting streams: ${error}`));
    // deleteStreams forgives a stream that is not there; check that none is left.
    try {
      const nc = await connect({ servers: NATS_URL, timeout: 2000, reconnect: false });
      try {
        const names: string[] = [];
        for await (const name of (await jetstreamManager(nc)).streams.names()) names.push(name);
        const left = streams.filter((name) => names.includes(name));
        if (left.length > 0) problems.push(`streams left behind: ${left.join(", ")}`);
      } finally {
        await nc.close();
      }
    } catch (error) {
      problems.push(`checking the streams are gone: ${error}`);
    }
    if (problems.length > 0) throw new Error(`clean-up failed:\n${problems.join("\n")}`);
  });
}

const name =
  "given 500 checkouts over HTTP, when the worker is SIGKILLed twice mid-checkout and restarted, then every order is settled, reservations match the confirmed orders exactly and each confirmation mail is sent once";

const body = async (context: Context) => {
  const started = Date.now();
  const db = context.db as pg.Client;
  const url = (path: string) => `${context.serveUrl}/api/v1${path}`;
  const expectStatus = (answer: Answer, status: number, what: string) =>
    assert.is(answer.status, status, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);

  // The admin, the catalogue and the customers.
  const token = await timed(url("/auth/token"), {
    method: "POST",
    form: { grant_type: "password", username: ADMIN.email, password: ADMIN.password },
  });
  expectStatus(token, 200, "the admin signs in");
  const admin = { authorization: `Bearer ${token.body.access_token}` };
  const run = randomBytes(3).toString("hex").toUpperCase();
  const products: string[] = [];
  for (const [i, product] of PRODUCTS.entries()) {
    const created = await timed(url("/products"), {
      method: "POST",
      headers: admin,
      json: { name: product.name, sku: `CC-${run}-${i}`, price: 990, currency: "EUR", stock: product.stock },
    });
    expectStatus(created, 201, `product ${product.name}`);
    products.push(created.body.data.id);
  }
  const customers: Record<string, string>[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const email = `buyer-${i}-${randomUUID()}@example.com`;
    const password = "a long enough passphrase";
    expectStatus(
      await timed(url("/users"), {
        method: "POST",
        json: { email, password, given_name: "Buyer", family_name: `No ${i}` },
      }),
      201,
      `customer ${i} registers`,
    );
    const signedIn = await timed(url("/auth/token"), {
      method: "POST",
      form: { grant_type: "password", username: email, password },
    });
    expectStatus(signedIn, 200, `customer ${i} signs in`);
    customers.push({ authorization: `Bearer ${signedIn.body.access_token}` });
  }

  let worker = await startWorker(context);
  console.log(`  serve and worker 1 running, catalogue and customers made after ${Date.now() - started} ms`);

  // Shared state of the three activities below.
  const placed: Placed[] = [];
  const placing: Answer[] = [];
  const paying: Answer[] = [];
  const paid = new Set<string>();
  let placingDone = false;
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    throw error;
  };

  const settledCount = async () => {
    const { rows } = await db.query<{ n: string }>(
      "select count(*) as n from orders where status in ('confirmed', 'paid', 'rejected')",
    );
    return Number(rows[0]?.n ?? 0);
  };

  // Placing: PLACERS loops at RATE orders per second in all; 1 to 3 distinct products, 1 to 3 each;
  // every other order is to be paid once it is confirmed.
  const loadStarted = Date.now();
  const placer = async (loop: number) => {
    for (let k = loop; k < ORDERS && failure === undefined; k += PLACERS) {
      const due = loadStarted + (k * 1000) / RATE;
      if (due > Date.now()) await new Promise((done) => setTimeout(done, due - Date.now()));
      const count = 1 + randomInt(0, 3);
      const chosen = [...products].sort(() => Math.random() - 0.5).slice(0, count);
      const lines = chosen.map((product_id) => ({ product_id, quantity: 1 + randomInt(0, 3) }));
      const customer = k % CUSTOMERS;
      const answer = await timed(url("/orders"), {
        method: "POST",
        headers: { ...customers[customer], "idempotency-key": randomUUID() },
        json: { lines, shipping_address: ADDRESS },
      });
      placing.push(answer);
      if (answer.status !== 201) throw new Error(`placing order ${k}: ${answer.status} ${answer.code}`);
      placed.push({ id: answer.body.data.id, customer, lines, pay: k % 2 === 0 });
    }
  };

  // Paying: orders to be paid, once the checkout has confirmed them, by their customers over HTTP.
  const payer = async () => {
    const deadline = Date.now() + 120_000;
    while (failure === undefined && Date.now() < deadline) {
      const toPay = placed.filter((order) => order.pay && !paid.has(order.id));
      const { rows } = await db.query<{ id: string; status: string }>(
        "select id, status from orders where id = any($1::uuid[])",
        [toPay.map((order) => order.id)],
      );
      const status = new Map(rows.map((row) => [row.id, row.status]));
      const due = toPay.filter((order) => status.get(order.id) === "confirmed");
      if (placingDone && toPay.every((order) => status.get(order.id) === "rejected")) return;
      for (const order of due) {
        const answer = await timed(url(`/orders/${order.id}/payment`), {
          method: "POST",
          headers: { ...customers[order.customer], "idempotency-key": randomUUID() },
          json: {},
        });
        paying.push(answer);
        if (answer.status !== 200 || answer.body.data?.outcome !== "approved")
          throw new Error(`paying ${order.id}: ${answer.status} ${JSON.stringify(answer.body)}`);
        paid.add(order.id);
      }
      if (due.length === 0) await new Promise((done) => setTimeout(done, 200));
    }
    if (failure === undefined) throw new Error("the payer gave up after 120 s");
  };

  // The controller: at each kill point, waits (bounded) for the step it aims at to be in flight and
  // SIGKILLs the worker right then; notes what was left behind, and starts another worker. The first
  // kill aims at a reservation half done (an order still placed that holds a line), the second at a
  // confirmation mail job running (a kill after its send and before it is recorded done mails twice).
  const kills: string[] = [];
  const inFlight = async () => {
    const { rows } = await db.query<{ half_done: string; mailing: string; running_types: string | null }>(
      `select (select count(distinct o.id) from orders o join product_reservations r on r.order_id = o.id
                where o.status = 'placed') as half_done,
              (select count(*) from jobs where state = 'running'
                 and type = 'orders.confirmation-mail') as mailing,
              (select string_agg(type || ' ×' || n, ', ') from
                 (select type, count(*) as n from jobs where state = 'running' group by type) t) as running_types`,
    );
    return {
      halfDone: Number(rows[0]?.half_done ?? 0),
      mailing: Number(rows[0]?.mailing ?? 0),
      types: rows[0]?.running_types ?? "none",
    };
  };
  const aims = [
    { what: "a reservation half done", seen: (s: { halfDone: number }) => s.halfDone > 0 },
    { what: "a confirmation mail job running", seen: (s: { mailing: number }) => s.mailing > 0 },
  ] as const;
  const controller = async () => {
    for (const [n, at] of KILL_AFTER_SETTLED.entries()) {
      const aim = aims[n % aims.length] as (typeof aims)[number];
      await eventually(
        `${at} orders settled before kill ${n + 1}`,
        async () => ({ settled: await settledCount(), failure }),
        (s) => s.failure !== undefined || s.settled >= at,
        40_000,
      );
      if (failure !== undefined) return;
      const caught = await eventually(`${aim.what} (kill ${n + 1})`, inFlight, aim.seen, 3000).then(
        () => true,
        () => false,
      );
      worker.child.kill("SIGKILL");
      assert.is(await worker.exited(), "SIGKILL");
      const state = await inFlight();
      const settled = await settledCount();
      kills.push(
        `kill ${n + 1} (aimed at ${aim.what}: ${caught ? "seen" : "not seen within 3 s"}): ` +
          `${placed.length} placed, ${settled} settled; left behind: ${state.halfDone} orders placed holding ` +
          `reservations, running jobs ${state.types}`,
      );
      const restarting = Date.now();
      worker = await startWorker(context);
      kills.push(`  worker ${n + 2} running ${Date.now() - restarting} ms after the kill`);
    }
  };

  const activities = await Promise.allSettled([
    Promise.all(Array.from({ length: PLACERS }, (_, loop) => placer(loop).catch(fail))).then(() => {
      placingDone = true;
    }),
    payer().catch(fail),
    controller().catch(fail),
  ]);
  for (const result of activities) if (result.status === "rejected") throw result.reason;
  const loadMs = Date.now() - loadStarted;
  assert.is(placed.length, ORDERS);
  assert.is(context.workers.length, KILL_AFTER_SETTLED.length + 1);

  // Drained: no order left placed, every confirmation mail job and every checkout step done.
  const progress = async () => {
    const { rows } = await db.query<{ status: string; n: string }>(
      "select status, count(*) as n from orders group by status",
    );
    const statuses = Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    const jobs = (
      await db.query<{ type: string; state: string; n: string }>(
        "select type, state, count(*) as n from jobs group by type, state order by type, state",
      )
    ).rows.map((row) => ({ type: row.type, state: row.state, n: Number(row.n) }));
    const count = (type: string, states: readonly string[]) =>
      jobs.filter((j) => j.type === type && states.includes(j.state)).reduce((sum, j) => sum + j.n, 0);
    const pending = ["queued", "running", "failed"];
    return {
      statuses,
      jobs,
      placed: statuses.placed ?? 0,
      confirmed: (statuses.confirmed ?? 0) + (statuses.paid ?? 0),
      reservePending: count("orders.reserve-stock", pending),
      mailPending: count("orders.confirmation-mail", pending),
      mailsDone: count("orders.confirmation-mail", ["succeeded"]),
      dead: jobs.filter((j) => j.state === "dead").reduce((sum, j) => sum + j.n, 0),
    };
  };
  const drainStarted = Date.now();
  const final = await eventually(
    "every order settled and every confirmation mail job done",
    progress,
    (p) =>
      p.placed === 0 &&
      p.reservePending === 0 &&
      p.mailPending === 0 &&
      p.mailsDone === p.confirmed &&
      p.dead === 0,
    DRAIN_MS,
  );
  const drainMs = Date.now() - drainStarted;

  // Final states.
  const orders = (await db.query<{ id: string; status: string }>("select id, status from orders")).rows;
  const statusOf = new Map(orders.map((row) => [row.id, row.status]));
  const wrongState = placed.filter((order) => {
    const status = statusOf.get(order.id);
    return order.pay
      ? status !== "paid" && status !== "rejected"
      : status !== "confirmed" && status !== "rejected";
  });
  const holding = placed.filter((order) => ["confirmed", "paid"].includes(statusOf.get(order.id) ?? ""));

  // Stock: per product, reserved is the sum of the confirmed and paid orders' lines for it, the
  // reservation rows are exactly those lines, on hand is untouched, and nothing is negative.
  const expectedRows = new Map<string, number>();
  for (const order of holding)
    for (const [line, { product_id, quantity }] of order.lines.entries())
      expectedRows.set(`${product_id}/${order.id}/${line}`, quantity);
  const reservationRows = (
    await db.query<{ product_id: string; order_id: string; line: number; quantity: number }>(
      "select product_id, order_id, line, quantity from product_reservations",
    )
  ).rows;
  const actualRows = new Map(
    reservationRows.map((r) => [`${r.product_id}/${r.order_id}/${r.line}`, r.quantity]),
  );
  const rowsMissing = [...expectedRows].filter(([key, q]) => actualRows.get(key) !== q).map(([key]) => key);
  const rowsExtra = [...actualRows].filter(([key]) => !expectedRows.has(key)).map(([key]) => key);
  const stock = (
    await db.query<{ id: string; on_hand: number; reserved: number }>(
      "select id, on_hand, reserved from products",
    )
  ).rows;
  const stockLines = stock.map((row) => {
    const index = products.indexOf(row.id);
    const expectedReserved = holding
      .flatMap((order) => order.lines)
      .filter((line) => line.product_id === row.id)
      .reduce((sum, line) => sum + line.quantity, 0);
    return {
      name: PRODUCTS[index]?.name ?? row.id,
      initial: PRODUCTS[index]?.stock,
      onHand: row.on_hand,
      reserved: row.reserved,
      expectedReserved,
      available: row.on_hand - row.reserved,
    };
  });

  // Mails: the log mailer's confirmation lines from every worker incarnation, per order.
  const countMails = () => {
    const perOrder = new Map<string, number>();
    for (const spawned of context.workers)
      for (const line of logLines(spawned.stdout())) {
        if (line.msg !== "mail not sent (log mailer)") continue;
        const subject = (line.mail as { subject?: string } | undefined)?.subject ?? "";
        const id = CONFIRMATION.exec(subject)?.[1];
        if (id !== undefined) perOrder.set(id, (perOrder.get(id) ?? 0) + 1);
      }
    return perOrder;
  };
  // Every line was written before its job was recorded done; the wait only lets this process read the pipes.
  const mails = await eventually(
    "the confirmation mail lines",
    countMails,
    (perOrder) => holding.every((order) => (perOrder.get(order.id) ?? 0) >= 1),
    3000,
  ).catch(countMails);
  const unmailed = holding.filter((order) => (mails.get(order.id) ?? 0) === 0).map((o) => o.id);
  const mailedRejected = [...mails.keys()].filter((id) => statusOf.get(id) === "rejected");
  const duplicated = [...mails].filter(([, n]) => n > 1).map(([id, n]) => ({ id, n }));
  const mailAttempts = new Map(
    (
      await db.query<{ order_id: string; attempts: number }>(
        "select payload->>'orderId' as order_id, attempts from jobs where type = 'orders.confirmation-mail'",
      )
    ).rows.map((row) => [row.order_id, row.attempts]),
  );
  const unexplained = duplicated.filter(({ id }) => (mailAttempts.get(id) ?? 0) < 2);
  const retriedMails = [...mailAttempts.values()].filter((n) => n > 1).length;
  const reserveRetried = (
    await db.query<{ n: string }>(
      "select count(*) as n from jobs where type = 'orders.reserve-stock' and attempts > 1",
    )
  ).rows[0]?.n;

  const lastWorker = await stop(worker);
  console.log(
    [
      ...kills.map((line) => `  ${line}`),
      `  load: ${ORDERS} orders placed (${tally(placing)}) and ${paying.length} paid (${tally(paying)}) in ${loadMs} ms; ` +
        `drained ${drainMs} ms after`,
      `  orders: ${JSON.stringify(final.statuses)}; in a wrong final state: ${wrongState.length}`,
      `  jobs: ${final.jobs.map((j) => `${j.type} ${j.state} ×${j.n}`).join(", ")}`,
      `  reserve-stock jobs started more than once: ${reserveRetried}; confirmation-mail jobs started more than once: ${retriedMails}`,
      ...stockLines.map(
        (s) =>
          `  ${s.name}: on hand ${s.onHand} (initially ${s.initial}), reserved ${s.reserved} ` +
          `(confirmed and paid lines: ${s.expectedReserved}), available ${s.available}`,
      ),
      `  reservation rows: ${reservationRows.length} (expected ${expectedRows.size}); missing or wrong: ${rowsMissing.length}, extra: ${rowsExtra.length}`,
      `  confirmation mails: ${[...mails.values()].reduce((a, b) => a + b, 0)} for ${holding.length} confirmed orders; ` +
        `unmailed: ${unmailed.length}, to rejected orders: ${mailedRejected.length}, ` +
        `sent twice or more: ${duplicated.length} (${duplicated.length - unexplained.length} after a kill cut off a mail job, ${unexplained.length} otherwise)` +
        (duplicated.length > 0 ? ` ${JSON.stringify(duplicated)}` : ""),
      `  last worker on SIGTERM: ${lastWorker}; total ${Date.now() - started} ms`,
    ].join("\n"),
  );

  assert.ok(kills.length === 4, "two kills, two restarts");
  assert.is(final.placed, 0, "no order left placed");
  assert.equal(
    wrongState.map((o) => `${o.id} ${statusOf.get(o.id)}`),
    [],
    "every order confirmed, paid (when paid for) or rejected",
  );
  assert.ok(holding.length > 0 && holding.length < ORDERS, "some orders confirmed, some rejected");
  assert.is(final.dead, 0, "no dead job");
  for (const s of stockLines) {
    assert.is(s.onHand, s.initial, `${s.name}: on hand unchanged`);
    assert.is(s.reserved, s.expectedReserved, `${s.name}: reserved is its confirmed and paid lines`);
    assert.ok(s.available >= 0, `${s.name}: available ${s.available} is not negative`);
  }
  assert.equal(rowsMissing, [], "every confirmed line holds its reservation");
  assert.equal(rowsExtra, [], "no reservation for a line of a rejected order");
  assert.equal(unmailed, [], "every confirmed order mailed");
  assert.equal(mailedRejected, [], "no rejected order mailed");
  assert.equal(
    unexplained,
    [],
    "a confirmation mail twice only where a kill cut off its job between sending and recording it done",
  );
  assert.is(lastWorker, 0, "the last worker exits 0 on SIGTERM");
};

if (decided.run) crash(name, body);
else {
  console.log(`  skipped: ${name} — ${decided.reason}`);
  crash.skip(name, body);
}

crash.run();
