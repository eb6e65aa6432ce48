import { randomBytes } from "node:crypto";
import * as assert from "uvu/assert";
import type { RecordingMailer } from "../../src/adapters/mail/recording-mailer.js";
import { Mailer } from "../../src/ports/mailer.js";
import { asAdmin } from "../support/auth.js";
import { eventually } from "../support/eventually.js";
import { deleteStreams, NATS_URL, natsDecision } from "../support/nats.js";
import { createTestSchema, postgresDecision, type TestSchema } from "../support/postgres.js";
import type { ServiceDecision } from "../support/services.js";
import { call as anonymousCall, startTestServer, type TestServer } from "../support/test-server.js";
import { suite } from "../support/uvu.js";

/** Every request here is the bootstrap admin's: product writes need product:write (anonymous access is the authorization matrix's subject). */
const call: typeof anonymousCall = async (url, init = {}) =>
  anonymousCall(url, { ...init, headers: { ...(await asAdmin(new URL(url).origin)), ...init.headers } });

interface Stack {
  readonly name: string;
  readonly persistence: "memory" | "pglite" | "postgres";
  readonly bus: "memory" | "nats";
}

const STACKS: readonly Stack[] = [
  { name: "memory", persistence: "memory", bus: "memory" },
  { name: "pglite", persistence: "pglite", bus: "memory" },
  { name: "postgres + nats", persistence: "postgres", bus: "nats" },
];

async function decision(stack: Stack): Promise<ServiceDecision> {
  for (const needed of [
    stack.persistence === "postgres" ? postgresDecision() : undefined,
    stack.bus === "nats" ? natsDecision() : undefined,
  ]) {
    const d = await needed;
    if (d !== undefined && !d.run) return d;
  }
  return { run: true };
}

interface Context {
  server?: TestServer;
  schema?: TestSchema;
  stream?: string;
}

for (const stack of STACKS) {
  const flow = suite<Context>(`events end to end [${stack.name}]`);
  const decided = await decision(stack);
  if (decided.run) {
    flow.before(async (context) => {
      context.schema = stack.persistence === "postgres" ? await createTestSchema() : undefined;
      context.stream = stack.bus === "nats" ? `keel_flow_${randomBytes(5).toString("hex")}` : undefined;
      context.server = await startTestServer({
        env: {
          PERSISTENCE__DRIVER: stack.persistence,
          PGLITE__DATA_DIR: "memory://",
          ...(context.schema ? { DATABASE__URL: context.schema.url } : {}),
          EVENT_BUS__DRIVER: stack.bus,
          ...(context.stream ? { EVENT_BUS__STREAM: context.stream, NATS__URL: NATS_URL } : {}),
          WORKER__IN_PROCESS: "true",
          RELAY__POLL_MS: "50",
          PRODUCTS__LOW_STOCK_THRESHOLD: "5",
          PRODUCTS__LOW_STOCK_ALERT_TO: "stock@shop.example",
        },
      });
    });
    flow.after(async (context) => {
      await context.server?.stop();
      await context.schema?.drop();
      if (context.stream) await deleteStreams(context.stream, `${context.stream}_dead_letters`);
    });
  }

  const spec = async (context: Context) => {
    const server = context.server;
    if (server === undefined) throw new Error("no server");
    const created = await call(`${server.url}/api/v1/products`, {
      method: "POST",
      json: { name: "Desk lamp", sku: "LAMP-1", price: 2500, currency: "EUR", stock: 8 },
    });
    const base = `${server.url}/api/v1/products/${created.body.data.id}`;
    for (const [delta, reason] of [
      [-2, "damaged"],
      [-3, "count"],
      [10, "delivery"],
    ] as const) {
      assert.is(
        (await call(`${base}/stock-adjustments`, { method: "POST", json: { delta, reason } })).status,
        200,
      );
    }

    // Then the projection catches up with every event, in version order, each once.
    type Movement = { version: number; kind: string; quantity: number; note: string };
    const history = await eventually(
      "the stock history to hold 4 movements",
      async () => (await call(`${base}/stock-history`)).body.data.items as Movement[],
      (items) => items.length >= 4,
    );
    assert.equal(
      history.map((m) => [m.version, m.kind, m.quantity, m.note]),
      [
        [1, "initial", 8, "initial stock"],
        [2, "adjusted", -2, "damaged"],
        [3, "adjusted", -3, "count"],
        [4, "adjusted", 10, "delivery"],
      ],
    );

    // And exactly one low-stock alert went out: 8 → 6 stays above 5, 6 → 3 crosses it, 3 → 13 does not.
    const mailer = server.container.get<RecordingMailer>(Mailer);
    const alerts = await eventually(
      "the low-stock alert",
      async () => mailer.sent().filter((mail) => mail.subject.startsWith("Low stock")),
      (sent) => sent.length > 0,
    );
    assert.equal(
      alerts.map((m) => [m.to, m.subject]),
      [["stock@shop.example", "Low stock: Desk lamp (LAMP-1)"]],
    );
    assert.match(alerts[0]?.text ?? "", /has 3 available, below the threshold of 5/);

    // And the bootstrap admin's user.registered event reached the welcome-mail task through the same bus.
    const welcome = await eventually(
      "the welcome mail",
      async () => mailer.sent().filter((mail) => mail.subject === "Welcome to keel"),
      (sent) => sent.length > 0,
    );
    assert.equal(
      welcome.map((m) => m.to),
      ["admin@keel.local"],
    );
  };

  const title = "given a running worker, stock changes reach the projection and the alert task once each";
  if (decided.run) flow(title, spec);
  else flow.skip(`${title} (${decided.reason})`, spec);
  flow.run();
}
