import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { ConfirmOrder } from "../../../src/application/order/checkout-outcome.js";
import type { Command } from "../../../src/application/shared/message.js";
import type { MessageBus } from "../../../src/application/shared/message-bus.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { DependencyUnavailable } from "../../../src/ports/dependency-unavailable.js";
import {
  type ChargeOutcome,
  type ChargeRequest,
  PaymentGateway,
} from "../../../src/ports/order/payment-gateway.js";
import { asAdmin, bearer, registerAndSignIn } from "../../support/auth.js";
import { call, type JsonResponse, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

/**
 * A gateway standing in for the real adapters (being written elsewhere): it answers each key once
 * and replays that answer, as the port requires, declines the orders in `declining`, and is
 * unreachable while `down` is set.
 */
class StandInGateway implements PaymentGateway {
  down = false;
  readonly declining = new Set<string>();
  readonly charges: ChargeRequest[] = [];
  private readonly answers = new Map<string, ChargeOutcome>();

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    if (this.down) throw new DependencyUnavailable("payment gateway", 5);
    const known = this.answers.get(request.idempotencyKey);
    if (known !== undefined) return known;
    this.charges.push(request);
    const outcome: ChargeOutcome = this.declining.has(request.orderId)
      ? { outcome: "declined", reason: "card declined" }
      : { outcome: "approved", paymentReference: `pay-${this.charges.length}` };
    this.answers.set(request.idempotencyKey, outcome);
    return outcome;
  }

  async refund() {
    return { outcome: "refunded" as const, refundReference: "refund-1" };
  }
}

interface Context {
  server: TestServer;
  gateway: StandInGateway;
  ann: Record<string, string>;
  bob: Record<string, string>;
  chair: string;
  lamp: string;
}

const api = suite<Context>("orders API");

api.before(async (context) => {
  context.gateway = new StandInGateway();
  const gateway = context.gateway;
  context.server = await startTestServer({
    env: { RATE_LIMIT__ENABLED: "false" },
    overrides: (container) => {
      container.rebind(PaymentGateway).toConstantValue(gateway);
    },
  });
  const url = context.server.url;
  context.ann = bearer((await registerAndSignIn(url, `ann-${randomUUID()}@example.com`)).accessToken);
  context.bob = bearer((await registerAndSignIn(url, `bob-${randomUUID()}@example.com`)).accessToken);
  context.chair = await product(context.server, "Oak chair", 12999);
  context.lamp = await product(context.server, "Desk lamp", 4513);
});
api.after(async ({ server }) => {
  await server.stop();
});

async function product(server: TestServer, name: string, price: number): Promise<string> {
  const res = await call(`${server.url}/api/v1/products`, {
    method: "POST",
    headers: await asAdmin(server.url),
    json: { name, sku: `OR-${randomUUID().slice(0, 8)}`, price, currency: "EUR", stock: 50 },
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.data.id;
}

const ADDRESS = {
  name: "Ann Lee",
  lines: ["Hauptstraße 5"],
  city: "Berlin",
  postal_code: "10115",
  country: "de",
};

function place(
  { server }: Context,
  who: Record<string, string>,
  lines: { product_id: string; quantity: number }[],
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return call(`${server.url}/api/v1/orders`, {
    method: "POST",
    headers: { ...who, ...headers },
    json: { lines, shipping_address: ADDRESS },
  });
}

async function placed(
  context: Context,
  who: Record<string, string>,
  productId = context.chair,
): Promise<string> {
  const res = await place(context, who, [{ product_id: productId, quantity: 2 }]);
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.data.id;
}

/** The checkout process's part, which is not ours: confirm as the system principal. */
async function confirm({ server }: Context, id: string): Promise<void> {
  const bus = server.container.get<MessageBus<Command<unknown>>>(Tokens.CommandBus);
  await bus.dispatch(
    new ConfirmOrder(
      { principal: { kind: "system", name: "checkout" }, correlationId: randomUUID() },
      { id },
    ),
  );
}

const post = (context: Context, path: string, who: Record<string, string>, json?: unknown) =>
  call(`${context.server.url}/api/v1${path}`, { method: "POST", headers: who, ...(json ? { json } : {}) });
const get = (context: Context, path: string, who: Record<string, string>, version = "v1") =>
  call(`${context.server.url}/api/${version}${path}`, { headers: who });

api(
  "when a customer places an order, then it is priced from the catalogue and reads back as placed",
  async (context) => {
    const res = await place(context, context.ann, [
      { product_id: context.chair, quantity: 2 },
      { product_id: context.lamp, quantity: 1 },
    ]);
    assert.is(res.status, 201, JSON.stringify(res.body));
    assert.is(res.headers.get("location"), `/api/v1/orders/${res.body.data.id}`);

    const order = await get(context, `/orders/${res.body.data.id}`, context.ann);
    assert.is(order.status, 200);
    assert.is(order.body.data.status, "placed");
    assert.is(order.body.data.currency, "EUR");
    assert.is(order.body.data.total, 2 * 12999 + 4513);
    assert.equal(order.body.data.lines, [
      { product_id: context.chair, quantity: 2, unit_price: 12999 },
      { product_id: context.lamp, quantity: 1, unit_price: 4513 },
    ]);
    assert.is(order.body.data.shipping_address.country, "DE");
  },
);

api(
  "v2 shows money as decimal amounts and each line's product with the name it had at placement",
  async (context) => {
    const id = await placed(context, context.ann);
    const v2 = await get(context, `/orders/${id}`, context.ann, "v2");
    assert.is(v2.status, 200);
    assert.equal(v2.body.data.total, { amount: "259.98", currency: "EUR" });
    assert.equal(v2.body.data.lines, [
      {
        product: { id: context.chair, name: "Oak chair" },
        quantity: 2,
        unit_price: { amount: "129.99", currency: "EUR" },
        line_total: { amount: "259.98", currency: "EUR" },
      },
    ]);
  },
);

api(
  "given another customer's order, then reading, cancelling or paying it is a 404, as for no order at all",
  async (context) => {
    const id = await placed(context, context.ann);
    for (const res of [
      await get(context, `/orders/${id}`, context.bob),
      await post(context, `/orders/${id}/cancel`, context.bob),
      await post(context, `/orders/${id}/payment`, context.bob),
      await get(context, `/orders/${randomUUID()}`, context.ann),
    ]) {
      assert.is(res.status, 404, JSON.stringify(res.body));
      assert.is(res.body.code, "NOT_FOUND");
    }
    assert.is((await get(context, `/orders/${id}`, await asAdmin(context.server.url))).status, 200);
  },
);

api(
  "when a line names a product that does not exist, then 422 names that line's product_id",
  async (context) => {
    const res = await place(context, context.ann, [
      { product_id: context.chair, quantity: 1 },
      { product_id: randomUUID(), quantity: 1 },
    ]);
    assert.is(res.status, 422, JSON.stringify(res.body));
    assert.equal(
      res.body.errors.map((e: { path: string }) => e.path),
      ["body.lines[1].product_id"],
    );
  },
);

api(
  "bad input is a 400 in the envelope: no lines' shape, a zero quantity, an unknown field",
  async (context) => {
    for (const json of [
      { lines: "chair", shipping_address: ADDRESS },
      { lines: [{ product_id: context.chair, quantity: 0 }], shipping_address: ADDRESS },
      { lines: [{ product_id: context.chair, quantity: 1 }], shipping_address: ADDRESS, price: 1 },
    ]) {
      const res = await call(`${context.server.url}/api/v1/orders`, {
        method: "POST",
        headers: context.ann,
        json,
      });
      assert.is(res.status, 400, JSON.stringify(res.body));
      assert.is(res.body.code, "VALIDATION_FAILED");
    }
    const noCountry = await place(context, context.ann, [{ product_id: context.chair, quantity: 1 }], {});
    assert.is(noCountry.status, 201);
    const res = await call(`${context.server.url}/api/v1/orders`, {
      method: "POST",
      headers: context.ann,
      json: {
        lines: [{ product_id: context.chair, quantity: 1 }],
        shipping_address: { ...ADDRESS, country: "XX" },
      },
    });
    assert.is(res.status, 422);
    assert.equal(
      res.body.errors.map((e: { path: string }) => e.path),
      ["body.shipping_address.country"],
    );
  },
);

api(
  "GET /orders lists only the caller's own orders, filtered by status, sorted by total, paged",
  async (context) => {
    const carol = bearer(
      (await registerAndSignIn(context.server.url, `carol-${randomUUID()}@example.com`)).accessToken,
    );
    const small = await placed(context, carol, context.lamp);
    const big = await placed(context, carol, context.chair);
    const cancelled = await placed(context, carol, context.lamp);
    assert.is(
      (await post(context, `/orders/${cancelled}/cancel`, carol, { reason: "changed my mind" })).status,
      200,
    );
    await placed(context, context.bob);

    const page = await get(context, "/orders?status=placed&sort=total&order=desc&page_size=1", carol);
    assert.is(page.status, 200, JSON.stringify(page.body));
    assert.is(page.body.data.total, 2);
    assert.equal(
      page.body.data.items.map((o: { id: string }) => o.id),
      [big],
    );
    const second = await get(
      context,
      "/orders?status=placed&sort=total&order=desc&page_size=1&page=2",
      carol,
    );
    assert.equal(
      second.body.data.items.map((o: { id: string }) => o.id),
      [small],
    );
    const gone = await get(context, "/orders?status=cancelled", carol);
    assert.equal(
      gone.body.data.items.map((o: { id: string }) => o.id),
      [cancelled],
    );
    assert.is(gone.body.data.items[0].cancellation.by, "customer");
    assert.is((await get(context, "/orders?status=lost", carol)).status, 400);
  },
);

api("the back office lists every customer's orders at /admin/orders; a customer may not", async (context) => {
  const id = await placed(context, context.bob);
  const admin = await asAdmin(context.server.url);
  const all = await get(context, "/admin/orders?page_size=100", admin);
  assert.is(all.status, 200);
  assert.ok(all.body.data.items.some((o: { id: string }) => o.id === id));
  assert.is((await get(context, "/admin/orders", context.bob)).status, 403);
});

api(
  "given a confirmed order, when it is paid, then it is charged once with the order's key and total",
  async (context) => {
    const id = await placed(context, context.ann);
    assert.is(
      (await post(context, `/orders/${id}/payment`, context.ann)).status,
      409,
      "a placed order is not payable yet",
    );
    await confirm(context, id);

    const paid = await post(context, `/orders/${id}/payment`, context.ann);
    assert.is(paid.status, 200, JSON.stringify(paid.body));
    assert.is(paid.body.data.outcome, "approved");
    const charges = context.gateway.charges.filter((c) => c.orderId === id);
    assert.equal(charges, [
      {
        idempotencyKey: `order-${id}-charge-1`,
        orderId: id,
        amount: { amountMinor: 25998, currency: "EUR" },
      },
    ]);
    const order = await get(context, `/orders/${id}`, context.ann);
    assert.is(order.body.data.status, "paid");
    assert.match(order.body.data.payment_reference, /^pay-/);

    const again = await post(context, `/orders/${id}/payment`, context.ann);
    assert.is(again.body.data.outcome, "approved");
    assert.is(context.gateway.charges.filter((c) => c.orderId === id).length, 1);
  },
);

api(
  "when the gateway declines, then 200 with the reason and the order stays confirmed with it recorded; paying again is a new charge",
  async (context) => {
    const id = await placed(context, context.ann, context.lamp);
    await confirm(context, id);
    context.gateway.declining.add(id);
    const res = await post(context, `/orders/${id}/payment`, context.ann);
    assert.is(res.status, 200);
    assert.is(res.body.data.outcome, "declined");
    assert.is(res.body.data.decline_reason, "card declined");
    const order = await get(context, `/orders/${id}`, context.ann);
    assert.is(order.body.data.status, "confirmed");
    assert.is(order.body.data.last_decline_reason, "card declined");

    // Another card: the gateway sees a new key, not a replay of the decline.
    context.gateway.declining.delete(id);
    const again = await post(context, `/orders/${id}/payment`, context.ann);
    assert.is(again.body.data.outcome, "approved", JSON.stringify(again.body));
    assert.equal(
      context.gateway.charges
        .filter((charge) => charge.orderId === id)
        .map((charge) => charge.idempotencyKey),
      [`order-${id}-charge-1`, `order-${id}-charge-2`],
    );
  },
);

api(
  "when the gateway is unreachable, then 503 with Retry-After, nothing recorded, and a retry pays",
  async (context) => {
    const id = await placed(context, context.ann);
    await confirm(context, id);
    context.gateway.down = true;
    try {
      const res = await post(context, `/orders/${id}/payment`, context.ann);
      assert.is(res.status, 503, JSON.stringify(res.body));
      assert.ok(res.headers.get("retry-after"));
      assert.is((await get(context, `/orders/${id}`, context.ann)).body.data.status, "confirmed");
    } finally {
      context.gateway.down = false;
    }
    assert.is((await post(context, `/orders/${id}/payment`, context.ann)).body.data.outcome, "approved");
  },
);

api(
  "shipping and delivery are the back office's: a paid order ships, then is delivered; a customer gets 403",
  async (context) => {
    const id = await placed(context, context.ann);
    await confirm(context, id);
    await post(context, `/orders/${id}/payment`, context.ann);
    const admin = await asAdmin(context.server.url);
    assert.is((await post(context, `/orders/${id}/ship`, context.ann)).status, 403);
    assert.is((await post(context, `/orders/${id}/ship`, admin)).status, 200);
    assert.is((await post(context, `/orders/${id}/cancel`, context.ann)).status, 409, "too late to cancel");
    assert.is((await post(context, `/orders/${id}/deliver`, admin)).status, 200);
    assert.is((await get(context, `/orders/${id}`, context.ann)).body.data.status, "delivered");
  },
);

api("an admin cancels any customer's order, and the cancellation says an admin did", async (context) => {
  const id = await placed(context, context.bob);
  const res = await post(context, `/orders/${id}/cancel`, await asAdmin(context.server.url));
  assert.is(res.status, 200);
  const order = await get(context, `/orders/${id}`, context.bob);
  assert.is(order.body.data.cancellation.by, "admin");
  assert.is(order.body.data.cancellation.refund_due, false);
});

api(
  "a write with If-Match from a version the order has left is a 412 and changes nothing; the current one applies",
  async (context) => {
    const id = await placed(context, context.ann);
    const read = await get(context, `/orders/${id}`, context.ann);
    const stale = read.headers.get("etag") ?? "";
    assert.ok(stale);
    await confirm(context, id);
    const refused = await post(context, `/orders/${id}/cancel`, { ...context.ann, "if-match": stale });
    assert.is(refused.status, 412, JSON.stringify(refused.body));
    const now = await get(context, `/orders/${id}`, context.ann);
    assert.is(now.body.data.status, "confirmed");
    const current = now.headers.get("etag") ?? "";
    assert.is(
      (await post(context, `/orders/${id}/cancel`, { ...context.ann, "if-match": current })).status,
      200,
    );
  },
);

api(
  "Idempotency-Key on POST /orders/:id/payment: a retry with the key is answered as the first, marked replayed",
  async (context) => {
    const id = await placed(context, context.ann);
    await confirm(context, id);
    const key = randomUUID();
    const first = await post(context, `/orders/${id}/payment`, { ...context.ann, "idempotency-key": key });
    const retry = await post(context, `/orders/${id}/payment`, { ...context.ann, "idempotency-key": key });
    assert.is(first.status, 200, JSON.stringify(first.body));
    assert.equal(retry.body, first.body);
    assert.is(retry.headers.get("idempotent-replayed"), "true");
    assert.is(context.gateway.charges.filter((c) => c.orderId === id).length, 1);
  },
);

api(
  "Idempotency-Key on POST /orders: the same key twice places one order; another body with it is a 422",
  async (context) => {
    const dave = bearer(
      (await registerAndSignIn(context.server.url, `dave-${randomUUID()}@example.com`)).accessToken,
    );
    const key = randomUUID();
    const lines = [{ product_id: context.chair, quantity: 1 }];
    const first = await place(context, dave, lines, { "idempotency-key": key });
    const second = await place(context, dave, lines, { "idempotency-key": key });
    assert.is(first.status, 201);
    assert.equal(second.body, first.body);
    assert.is(second.headers.get("idempotent-replayed"), "true");
    const other = await place(context, dave, [{ product_id: context.lamp, quantity: 1 }], {
      "idempotency-key": key,
    });
    assert.is(other.status, 422);
    assert.is((await get(context, "/orders", dave)).body.data.total, 1);
  },
);

api("Idempotency-Key on POST /orders: concurrent duplicates place one order", async (context) => {
  const erin = bearer(
    (await registerAndSignIn(context.server.url, `erin-${randomUUID()}@example.com`)).accessToken,
  );
  const key = randomUUID();
  const lines = [{ product_id: context.chair, quantity: 3 }];
  const answers = await Promise.all(
    Array.from({ length: 5 }, () => place(context, erin, lines, { "idempotency-key": key })),
  );
  assert.equal(new Set(answers.map((a) => a.status)), new Set([201]));
  assert.equal(new Set(answers.map((a) => a.body.data.id)).size, 1);
  assert.is((await get(context, "/orders", erin)).body.data.total, 1);
});

api.run();
