/**
 * The checkout's steps as a worker runs them, and runs them again after a crash: each job converges on
 * the same outcome however often, and wherever, it was interrupted. Real memory adapters and the real
 * command bus; the jobs are run by hand, in the order a crash would leave them.
 */
import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import type { JobHandler } from "../../../src/application/jobs/job-handler.js";
import { idempotent } from "../../../src/application/messaging/idempotent-subscriber.js";
import { CancelOrder } from "../../../src/application/order/cancel-order.js";
import { type OrderJob, reserveOrderStock } from "../../../src/application/order/checkout/checkout-jobs.js";
import { CheckoutProcess } from "../../../src/application/order/checkout/checkout-process.js";
import { ExpireOrder } from "../../../src/application/order/checkout/expire-order.js";
import { ConfirmOrder } from "../../../src/application/order/checkout-outcome.js";
import { GetOrder } from "../../../src/application/order/get-order.js";
import { PayOrder } from "../../../src/application/order/pay-order.js";
import { PlaceOrder } from "../../../src/application/order/place-order.js";
import { ReserveStock } from "../../../src/application/product/reserve-stock.js";
import type { ExecutionContext } from "../../../src/application/shared/execution-context.js";
import type { Command, Query } from "../../../src/application/shared/message.js";
import type { MessageBus } from "../../../src/application/shared/message-bus.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { Product } from "../../../src/domain/product/product.js";
import { money } from "../../../src/domain/shared/money.js";
import { EventLog, LOG_START } from "../../../src/ports/event-log.js";
import { Inbox } from "../../../src/ports/inbox.js";
import { Jobs } from "../../../src/ports/jobs.js";
import { openStore, type Store } from "../../support/persistence.js";
import { suite } from "../../support/uvu.js";

interface Context {
  store: Store;
  commands: MessageBus<Command<unknown>>;
  queries: MessageBus<Query<unknown>>;
}

const checkout = suite<Context>("checkout steps");

checkout.before(async (context) => {
  context.store = await openStore("memory");
  context.commands = context.store.container.get(Tokens.CommandBus);
  context.queries = context.store.container.get(Tokens.QueryBus);
});
checkout.after(async ({ store }) => {
  await store.close();
});

const system: ExecutionContext = {
  principal: { kind: "system", name: "test" },
  correlationId: "checkout-steps",
};
const customer = (userId: string): ExecutionContext => ({
  principal: { kind: "user", userId, roles: [], permissions: new Set() },
  correlationId: randomUUID(),
});
const ADDRESS = {
  name: "Ann Lee",
  lines: ["Hauptstraße 5"],
  city: "Berlin",
  postalCode: "10115",
  country: "DE",
};

async function product({ store }: Context, stock: number): Promise<string> {
  const created = Product.create(
    {
      id: randomUUID(),
      name: "Oak chair",
      sku: `CS-${randomUUID().slice(0, 8)}`,
      price: money(1000, "EUR"),
      initialStock: stock,
    },
    new Date(),
  );
  await store.unitOfWork.run({ correlationId: "seed", principal: "system:test" }, () =>
    store.products.save(created),
  );
  return created.id;
}

async function reserved({ store }: Context, id: string): Promise<number> {
  return (await store.productViews.get(id))?.reserved ?? Number.NaN;
}

/** The container's handler for a job type, as the worker's runner would pick it. */
function handlerOf(context: Context, name: string): JobHandler<OrderJob> {
  const handlers = context.store.container.getAll<JobHandler<OrderJob>>(Tokens.JobHandlers);
  const found = handlers.find((handler) => handler.job.name === name);
  if (found === undefined) throw new Error(`no handler for ${name}`);
  return found;
}

const JOB_CONTEXT = {
  jobId: "j",
  attempt: 1,
  maxAttempts: 10,
  dueAt: new Date(),
  signal: new AbortController().signal,
};

async function placed(
  context: Context,
  who: ExecutionContext,
  lines: { productId: string; quantity: number }[],
) {
  const { id } = await context.commands.dispatch(new PlaceOrder(who, { lines, shippingAddress: ADDRESS }));
  return id;
}

const statusOf = async (context: Context, who: ExecutionContext, id: string) =>
  (await context.queries.dispatch(new GetOrder(who, id))).status;

checkout(
  "given a placed order, when its reserve job runs twice, then each line is reserved once and the order confirmed once",
  async (context) => {
    const chair = await product(context, 10);
    const lamp = await product(context, 10);
    const ann = customer(randomUUID());
    const id = await placed(context, ann, [
      { productId: chair, quantity: 2 },
      { productId: lamp, quantity: 3 },
    ]);
    const reserve = handlerOf(context, reserveOrderStock.name);

    await reserve.handle({ orderId: id, correlationId: "c" }, JOB_CONTEXT);
    const version = (await context.queries.dispatch(new GetOrder(ann, id))).version;
    await reserve.handle({ orderId: id, correlationId: "c" }, JOB_CONTEXT);

    assert.is(await statusOf(context, ann, id), "confirmed");
    assert.is(
      (await context.queries.dispatch(new GetOrder(ann, id))).version,
      version,
      "the second run recorded nothing",
    );
    assert.is(await reserved(context, chair), 2);
    assert.is(await reserved(context, lamp), 3);
  },
);

checkout(
  "given a worker died after reserving the first line, when the job runs again, then the order is confirmed with nothing reserved twice",
  async (context) => {
    const chair = await product(context, 10);
    const lamp = await product(context, 10);
    const ann = customer(randomUUID());
    const id = await placed(context, ann, [
      { productId: chair, quantity: 4 },
      { productId: lamp, quantity: 1 },
    ]);
    await context.commands.dispatch(
      new ReserveStock(system, { productId: chair, orderId: id, line: 0, quantity: 4 }),
    );

    await handlerOf(context, reserveOrderStock.name).handle({ orderId: id, correlationId: "c" }, JOB_CONTEXT);

    assert.is(await statusOf(context, ann, id), "confirmed");
    assert.is(await reserved(context, chair), 4);
    assert.is(await reserved(context, lamp), 1);
  },
);

checkout(
  "given a line that cannot be reserved, when the job runs (and runs again), then the order is rejected with the reason and nothing stays reserved",
  async (context) => {
    const chair = await product(context, 10);
    const lamp = await product(context, 1);
    const ann = customer(randomUUID());
    const id = await placed(context, ann, [
      { productId: chair, quantity: 2 },
      { productId: lamp, quantity: 2 },
    ]);
    const reserve = handlerOf(context, reserveOrderStock.name);

    await reserve.handle({ orderId: id, correlationId: "c" }, JOB_CONTEXT);
    await reserve.handle({ orderId: id, correlationId: "c" }, JOB_CONTEXT);

    const order = await context.queries.dispatch(new GetOrder(ann, id));
    assert.is(order.status, "rejected");
    assert.match(order.rejectionReason ?? "", /^line 2: /);
    assert.is(await reserved(context, chair), 0);
    assert.is(await reserved(context, lamp), 0);
  },
);

checkout(
  "given the customer cancelled while the reserve job waited, when it runs, then nothing stays reserved and the order stays cancelled",
  async (context) => {
    const chair = await product(context, 10);
    const ann = customer(randomUUID());
    const id = await placed(context, ann, [{ productId: chair, quantity: 2 }]);
    await context.commands.dispatch(new CancelOrder(ann, { id }));

    await handlerOf(context, reserveOrderStock.name).handle({ orderId: id, correlationId: "c" }, JOB_CONTEXT);

    assert.is(await statusOf(context, ann, id), "cancelled");
    assert.is(await reserved(context, chair), 0);
  },
);

checkout(
  "given the worker lost its claim on the job, when the job reaches its next line, then it stops and settles nothing",
  async (context) => {
    const chair = await product(context, 10);
    const ann = customer(randomUUID());
    const id = await placed(context, ann, [{ productId: chair, quantity: 1 }]);
    const lost = new AbortController();
    lost.abort(new Error("the claim on it was lost"));

    let stopped: unknown;
    await handlerOf(context, reserveOrderStock.name)
      .handle({ orderId: id, correlationId: "c" }, { ...JOB_CONTEXT, signal: lost.signal })
      .catch((error: unknown) => {
        stopped = error;
      });

    assert.match(String(stopped), /claim on it was lost/);
    assert.is(await statusOf(context, ann, id), "placed");
    assert.is(await reserved(context, chair), 0);
  },
);

checkout(
  "given an order paid just before its deadline, when the deadline job runs, then the order is left paid",
  async (context) => {
    const chair = await product(context, 10);
    const ann = customer(randomUUID());
    const id = await placed(context, ann, [{ productId: chair, quantity: 1 }]);
    await context.commands.dispatch(new ConfirmOrder(system, { id }));
    await context.commands.dispatch(new PayOrder(ann, { id }));

    assert.is(await context.commands.dispatch(new ExpireOrder(system, { id, timeoutS: 900 })), "not-due");
    assert.is(await statusOf(context, ann, id), "paid");
  },
);

checkout(
  "given order.confirmed delivered twice, when the checkout hears it, then one deadline job and one mail job exist",
  async (context) => {
    const chair = await product(context, 10);
    const ann = customer(randomUUID());
    const id = await placed(context, ann, [{ productId: chair, quantity: 1 }]);
    await context.commands.dispatch(new ConfirmOrder(system, { id }));
    const { container, unitOfWork } = context.store;
    const log = container.get<EventLog>(EventLog);
    const confirmed = (await log.readAfter(LOG_START, 10_000)).find(
      (event) => event.type === "order.confirmed" && event.aggregateId === id,
    );
    if (confirmed === undefined) throw new Error("no order.confirmed in the log");
    const jobs = container.get<Jobs>(Jobs);
    const subscriber = idempotent(
      new CheckoutProcess(jobs, { paymentTimeoutS: 900 }),
      unitOfWork,
      container.get<Inbox>(Inbox),
    );
    const delivery = { attempt: 1, inProgress: () => {} } as never;

    await subscriber.handle(confirmed, delivery);
    await subscriber.handle(confirmed, delivery);

    const forOrder = (await jobs.list({ limit: 1000 })).filter(
      (job) => (job.payload as unknown as OrderJob).orderId === id,
    );
    assert.equal(forOrder.map((job) => job.type).sort(), [
      "orders.confirmation-mail",
      "orders.payment-deadline",
    ]);
    const deadline = forOrder.find((job) => job.type === "orders.payment-deadline");
    assert.equal(deadline?.runAt, new Date(Date.parse(confirmed.occurredAt) + 900_000));
  },
);

checkout.run();
