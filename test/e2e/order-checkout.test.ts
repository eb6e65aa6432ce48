/**
 * The checkout from the outside, on each profile: a customer places an order over HTTP, the worker's
 * checkout (events → jobs → the catalogue's reservation commands) confirms or rejects it, the
 * customer pays, an admin ships, and the catalogue, the summary and the mails follow — each effect
 * once. The worker runs in the server's process (WORKER__IN_PROCESS), polling fast.
 */
import { randomBytes, randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import type { RecordingMailer } from "../../src/adapters/mail/recording-mailer.js";
import { Clock } from "../../src/ports/clock.js";
import { Mailer } from "../../src/ports/mailer.js";
import { ADMIN, asAdmin, bearer, registerAndSignIn, signIn } from "../support/auth.js";
import { eventually } from "../support/eventually.js";
import { deleteStreams, NATS_URL, natsDecision } from "../support/nats.js";
import { createTestSchema, postgresDecision, type TestSchema } from "../support/postgres.js";
import type { ServiceDecision } from "../support/services.js";
import { call, type JsonResponse, startTestServer, type TestServer } from "../support/test-server.js";
import { suite } from "../support/uvu.js";

/** Real time, moved on by hand: the payment deadline comes when the test says. */
class MovableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

interface Stack {
  readonly name: string;
  readonly env: () => Promise<{ env: Record<string, string>; cleanUp: () => Promise<void> }>;
  readonly needs: () => Promise<ServiceDecision>;
}

const STACKS: readonly Stack[] = [
  {
    name: "embedded: PGlite + memory bus",
    needs: async () => ({ run: true }),
    env: async () => ({
      env: { PERSISTENCE__DRIVER: "pglite", PGLITE__DATA_DIR: "memory://" },
      cleanUp: async () => {},
    }),
  },
  {
    name: "PostgreSQL + NATS",
    needs: async () => {
      const postgres = await postgresDecision();
      return postgres.run ? natsDecision() : postgres;
    },
    env: async () => {
      const schema: TestSchema = await createTestSchema();
      const stream = `keel_checkout_${randomBytes(5).toString("hex")}`;
      return {
        env: {
          PERSISTENCE__DRIVER: "postgres",
          DATABASE__URL: schema.url,
          EVENT_BUS__DRIVER: "nats",
          EVENT_BUS__STREAM: stream,
          NATS__URL: NATS_URL,
        },
        cleanUp: async () => {
          await schema.drop();
          await deleteStreams(stream, `${stream}_dead_letters`);
        },
      };
    },
  },
];

const TIMEOUT_S = 900;
/** Generous: the checkout is several relay rounds and job polls, on a machine that may be busy. */
const WAIT_MS = 20_000;
/** registerAndSignIn's default, which Ann signs in with again after the clock moves. */
const PASSPHRASE = "a long enough passphrase";
const ADDRESS = {
  name: "Ann Lee",
  lines: ["Hauptstraße 5"],
  city: "Berlin",
  postal_code: "10115",
  country: "de",
};

interface Context {
  server: TestServer;
  clock: MovableClock;
  cleanUp: () => Promise<void>;
  ann: Record<string, string>;
  annEmail: string;
  admin: Record<string, string>;
}

for (const stack of STACKS) {
  const checkout = suite<Context>(`order checkout [${stack.name}]`);
  const decided = await stack.needs();

  if (decided.run) {
    checkout.before(async (context) => {
      const { env, cleanUp } = await stack.env();
      context.cleanUp = cleanUp;
      context.clock = new MovableClock();
      const clock = context.clock;
      context.server = await startTestServer({
        env: {
          ...env,
          WORKER__IN_PROCESS: "true",
          RELAY__POLL_MS: "20",
          JOBS__POLL_MS: "50",
          RATE_LIMIT__ENABLED: "false",
          ORDERS__PAYMENT_TIMEOUT_S: String(TIMEOUT_S),
        },
        overrides: (container) => void container.rebind(Clock).toConstantValue(clock),
      });
      context.annEmail = `ann-${randomUUID()}@example.com`;
      context.ann = bearer((await registerAndSignIn(context.server.url, context.annEmail)).accessToken);
      context.admin = await asAdmin(context.server.url);
    });
    checkout.after(async (context) => {
      await context.server?.stop();
      await context.cleanUp?.();
    });
  }

  const api = (context: Context, path: string, who: Record<string, string>, json?: unknown) =>
    call(`${context.server.url}/api/v1${path}`, {
      method: json === undefined ? "GET" : "POST",
      headers: who,
      ...(json === undefined ? {} : { json }),
    });

  async function product(context: Context, name: string, stock: number): Promise<string> {
    const res = await api(context, "/products", context.admin, {
      name,
      sku: `CO-${randomUUID().slice(0, 8)}`,
      price: 1250,
      currency: "EUR",
      stock,
    });
    assert.is(res.status, 201, JSON.stringify(res.body));
    return res.body.data.id;
  }

  /** The catalogue's view of a product's stock (v2 shows what is reserved). */
  async function stockOf(
    context: Context,
    id: string,
  ): Promise<{ on_hand: number; reserved: number; available: number }> {
    const res = await call(`${context.server.url}/api/v2/products/${id}`, { headers: context.admin });
    assert.is(res.status, 200, JSON.stringify(res.body));
    return res.body.data.stock;
  }

  async function place(context: Context, lines: { product_id: string; quantity: number }[]): Promise<string> {
    const res = await api(context, "/orders", context.ann, { lines, shipping_address: ADDRESS });
    assert.is(res.status, 201, JSON.stringify(res.body));
    return res.body.data.id;
  }

  async function settled(context: Context, id: string, status: string): Promise<JsonResponse> {
    return eventually(
      `order ${id} ${status}`,
      () => api(context, `/orders/${id}`, context.ann),
      (res) => res.body.data?.status === status,
      WAIT_MS,
    );
  }

  const mailsTo = (context: Context, subject: RegExp) =>
    context.server.container
      .get<RecordingMailer>(Mailer)
      .sent()
      .filter((mail) => mail.to === context.annEmail && subject.test(mail.subject));

  const spec = (name: string, body: (context: Context) => Promise<void>) =>
    decided.run ? checkout(name, body) : checkout.skip(`${name} (${decided.reason})`, body);

  spec(
    "given two products, when an order for both is placed, paid and shipped, then stock is reserved, then decreased, the summary counts it, and each mail is sent once",
    async (context) => {
      const chair = await product(context, "Oak chair", 10);
      const lamp = await product(context, "Desk lamp", 5);

      const id = await place(context, [
        { product_id: chair, quantity: 2 },
        { product_id: lamp, quantity: 1 },
      ]);

      await settled(context, id, "confirmed");
      assert.equal(await stockOf(context, chair), { on_hand: 10, reserved: 2, available: 8 });
      assert.equal(await stockOf(context, lamp), { on_hand: 5, reserved: 1, available: 4 });

      const paid = await api(context, `/orders/${id}/payment`, context.ann, {});
      assert.is(paid.status, 200, JSON.stringify(paid.body));
      assert.is((await api(context, `/orders/${id}/ship`, context.admin, {})).status, 200);

      await eventually(
        "the chair's stock decreased by the shipped 2",
        () => stockOf(context, chair),
        (stock) => stock.on_hand === 8,
        WAIT_MS,
      );
      assert.equal(await stockOf(context, chair), { on_hand: 8, reserved: 0, available: 8 });
      assert.equal(await stockOf(context, lamp), { on_hand: 4, reserved: 0, available: 4 });

      await eventually(
        "the shipping mail",
        () => mailsTo(context, /shipped/i).length,
        (sent) => sent === 1,
        WAIT_MS,
      );
      assert.is(mailsTo(context, /confirm/i).length, 1, "one confirmation mail");
      assert.is(mailsTo(context, /shipped/i).length, 1, "one shipping mail");

      await eventually(
        "the summary counts the order",
        () => api(context, "/orders/summary", context.ann),
        (res) => res.body.data?.order_count === 1,
        WAIT_MS,
      );
    },
  );

  spec(
    "given too little stock for one line, when the order is placed, then it is rejected with the reason and nothing stays reserved",
    async (context) => {
      const chair = await product(context, "Pine chair", 10);
      const lamp = await product(context, "Floor lamp", 1);

      const id = await place(context, [
        { product_id: chair, quantity: 3 },
        { product_id: lamp, quantity: 2 },
      ]);

      const rejected = await settled(context, id, "rejected");
      assert.match(JSON.stringify(rejected.body.data), /line 2/);
      await eventually(
        "the chair's reservation released",
        () => stockOf(context, chair),
        (stock) => stock.reserved === 0,
        WAIT_MS,
      );
      assert.equal(await stockOf(context, lamp), { on_hand: 1, reserved: 0, available: 1 });
    },
  );

  spec(
    "given 10 units left, when 50 customers order one each at once, then exactly 10 orders are confirmed, 40 rejected with the reason, and stock never goes negative",
    async (context) => {
      const last = await product(context, "Limited print", 10);
      const customers = await Promise.all(
        Array.from({ length: 50 }, async (_, i) =>
          bearer(
            (await registerAndSignIn(context.server.url, `rush-${i}-${randomUUID()}@example.com`))
              .accessToken,
          ),
        ),
      );

      const placed = await Promise.all(
        customers.map(async (who) => {
          const res = await api(context, "/orders", who, {
            lines: [{ product_id: last, quantity: 1 }],
            shipping_address: ADDRESS,
          });
          assert.is(res.status, 201, JSON.stringify(res.body));
          return { id: res.body.data.id as string, who };
        }),
      );

      const outcomes = await eventually(
        "every order confirmed or rejected",
        () =>
          Promise.all(
            placed.map(async ({ id, who }) => (await api(context, `/orders/${id}`, who)).body.data),
          ),
        (orders) => orders.every((order) => order.status === "confirmed" || order.status === "rejected"),
        60_000,
      );
      const confirmed = outcomes.filter((order) => order.status === "confirmed");
      const rejected = outcomes.filter((order) => order.status === "rejected");
      assert.is(confirmed.length, 10);
      assert.is(rejected.length, 40);
      for (const order of rejected)
        assert.match(JSON.stringify(order), /only 0 available|insufficient|available/i);
      assert.equal(await stockOf(context, last), { on_hand: 10, reserved: 10, available: 0 });
    },
  );

  // Last: it moves the clock past the payment deadline, and with it past the sessions' tokens.
  spec(
    "given a confirmed order nobody pays, when the payment deadline passes, then it is cancelled and its stock released",
    async (context) => {
      const desk = await product(context, "Standing desk", 4);
      const id = await place(context, [{ product_id: desk, quantity: 3 }]);
      await settled(context, id, "confirmed");
      assert.is((await stockOf(context, desk)).reserved, 3);

      context.clock.advance((TIMEOUT_S + 1) * 1000);
      // The sessions signed in before the move have expired with it: sign in again, at the new time.
      context.ann = bearer((await signIn(context.server.url, context.annEmail, PASSPHRASE)).accessToken);
      context.admin = bearer((await signIn(context.server.url, ADMIN.email, ADMIN.password)).accessToken);

      const cancelled = await settled(context, id, "cancelled");
      assert.match(JSON.stringify(cancelled.body.data), /not paid within 15 minutes/);
      await eventually(
        "the desk's reservation released",
        () => stockOf(context, desk),
        (stock) => stock.reserved === 0,
        WAIT_MS,
      );
      assert.equal(await stockOf(context, desk), { on_hand: 4, reserved: 0, available: 4 });
    },
  );

  checkout.run();
}
