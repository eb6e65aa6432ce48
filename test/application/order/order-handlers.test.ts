import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { CancelOrder } from "../../../src/application/order/cancel-order.js";
import { ConfirmOrder } from "../../../src/application/order/checkout-outcome.js";
import { GetOrder } from "../../../src/application/order/get-order.js";
import { ListMyOrders } from "../../../src/application/order/list-orders.js";
import { PayOrder } from "../../../src/application/order/pay-order.js";
import { PlaceOrder } from "../../../src/application/order/place-order.js";
import { Forbidden } from "../../../src/application/shared/authorization.js";
import type { ExecutionContext, Principal } from "../../../src/application/shared/execution-context.js";
import type { Command, Query } from "../../../src/application/shared/message.js";
import type { MessageBus } from "../../../src/application/shared/message-bus.js";
import { NotFound } from "../../../src/application/shared/not-found.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { IllegalOrderTransition } from "../../../src/domain/order/order-errors.js";
import { Product } from "../../../src/domain/product/product.js";
import { money } from "../../../src/domain/shared/money.js";
import { DependencyUnavailable } from "../../../src/ports/dependency-unavailable.js";
import {
  type ChargeOutcome,
  type ChargeRequest,
  PaymentGateway,
  type RefundRequest,
} from "../../../src/ports/order/payment-gateway.js";
import { openStore, type Store } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";
import { suite } from "../../support/uvu.js";

/** A gateway standing in for the real adapters: it approves, and runs `during` while it charges; `down`, it is unreachable. */
class StandInGateway implements PaymentGateway {
  during: () => Promise<void> = async () => {};
  down = false;
  readonly refunds: RefundRequest[] = [];

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    if (this.down) throw new DependencyUnavailable("payment gateway", 5);
    await this.during();
    return { outcome: "approved", paymentReference: `pay-${request.orderId.slice(0, 8)}` };
  }

  async refund(request: RefundRequest) {
    this.refunds.push(request);
    return { outcome: "refunded" as const, refundReference: "refund-1" };
  }
}

interface Context {
  store: Store;
  gateway: StandInGateway;
  commands: MessageBus<Command<unknown>>;
  queries: MessageBus<Query<unknown>>;
  product: string;
}

const handlers = suite<Context>("order handlers");

handlers.before(async (context) => {
  context.store = await openStore("memory");
  context.gateway = new StandInGateway();
  context.store.container.rebind(PaymentGateway).toConstantValue(context.gateway);
  context.commands = context.store.container.get(Tokens.CommandBus);
  context.queries = context.store.container.get(Tokens.QueryBus);
  const product = Product.create(
    { id: randomUUID(), name: "Oak chair", sku: "HC-1", price: money(12999, "EUR"), initialStock: 5 },
    new Date(),
  );
  await context.store.unitOfWork.run({ correlationId: "seed", principal: "system:test" }, () =>
    context.store.products.save(product),
  );
  context.product = product.id;
});
handlers.after(async ({ store }) => {
  await store.close();
});

const as = (principal: Principal): ExecutionContext => ({ principal, correlationId: randomUUID() });
const customer = (userId = randomUUID()): ExecutionContext =>
  as({ kind: "user", userId, roles: [], permissions: new Set() });
const system = as({ kind: "system", name: "checkout" });
const ADDRESS = {
  name: "Ann Lee",
  lines: ["Hauptstraße 5"],
  city: "Berlin",
  postalCode: "10115",
  country: "DE",
};

async function placedBy({ commands, product }: Context, context: ExecutionContext): Promise<string> {
  const { id } = await commands.dispatch(
    new PlaceOrder(context, { lines: [{ productId: product, quantity: 1 }], shippingAddress: ADDRESS }),
  );
  return id;
}

handlers(
  "an API key acts on its owner's orders only with order:manage, and keel itself places none",
  async (c) => {
    const key = as({ kind: "apiKey", keyId: randomUUID(), userId: randomUUID(), permissions: new Set() });
    await rejects(() => placedBy(c, key), Forbidden);
    await rejects(() => placedBy(c, system), Forbidden);
    const withManage = as({
      kind: "apiKey",
      keyId: randomUUID(),
      userId: randomUUID(),
      permissions: new Set(["order:manage"]),
    });
    assert.type(await placedBy(c, withManage), "string");
  },
);

handlers("a customer sees and lists only their own orders; another's is NotFound", async (c) => {
  const ann = customer();
  const bob = customer();
  const id = await placedBy(c, ann);
  assert.is((await c.queries.dispatch(new GetOrder(ann, id))).id, id);
  await rejects(() => c.queries.dispatch(new GetOrder(bob, id)), NotFound);
  await rejects(() => c.commands.dispatch(new CancelOrder(bob, { id })), NotFound);
  const listing = { sort: { field: "placedAt", direction: "desc" }, page: 1, pageSize: 10 } as const;
  assert.equal((await c.queries.dispatch(new ListMyOrders(bob, listing))).total, 0);
  assert.equal(
    (await c.queries.dispatch(new ListMyOrders(ann, listing))).items.map((o) => o.id),
    [id],
  );
});

handlers(
  "while the payment gateway is unreachable, paying is a DependencyUnavailable and records nothing",
  async (c) => {
    const ann = customer();
    const id = await placedBy(c, ann);
    await c.commands.dispatch(new ConfirmOrder(system, { id }));
    c.gateway.down = true;
    try {
      await rejects(() => c.commands.dispatch(new PayOrder(ann, { id })), DependencyUnavailable);
    } finally {
      c.gateway.down = false;
    }
    assert.is((await c.queries.dispatch(new GetOrder(ann, id))).status, "confirmed");
  },
);

handlers(
  "when the order is cancelled while its charge runs, then the charge is refunded with the order's key and paying is refused",
  async (c) => {
    const { gateway } = c;
    const ann = customer();
    const id = await placedBy(c, ann);
    await c.commands.dispatch(new ConfirmOrder(system, { id }));
    gateway.during = async () => {
      await c.commands.dispatch(new CancelOrder(ann, { id, reason: "changed my mind" }));
    };

    await rejects(() => c.commands.dispatch(new PayOrder(ann, { id })), IllegalOrderTransition);
    assert.equal(gateway.refunds, [
      {
        idempotencyKey: `order-${id}-refund`,
        orderId: id,
        paymentReference: `pay-${id.slice(0, 8)}`,
        amount: { amountMinor: 12999, currency: "EUR" },
      },
    ]);
    assert.is((await c.queries.dispatch(new GetOrder(ann, id))).status, "cancelled");
  },
);

handlers.run();
