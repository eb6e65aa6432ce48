import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { RecordingMailer } from "../../../src/adapters/mail/recording-mailer.js";
import { MemoryDatabase } from "../../../src/adapters/memory/memory-database.js";
import { MemoryEventLog } from "../../../src/adapters/memory/memory-event-log.js";
import { MemoryInbox } from "../../../src/adapters/memory/memory-inbox.js";
import { MemoryUnitOfWork } from "../../../src/adapters/memory/memory-unit-of-work.js";
import { MemoryOrderRepository } from "../../../src/adapters/order/memory/memory-order-repository.js";
import { MemoryOrderSummaries } from "../../../src/adapters/order/memory/memory-order-summaries.js";
import { MemoryUserReadModel } from "../../../src/adapters/user/memory/memory-user-read-model.js";
import { MemoryUserRepository } from "../../../src/adapters/user/memory/memory-user-repository.js";
import { type EventHandler, idempotent } from "../../../src/application/messaging/idempotent-subscriber.js";
import { OrderConfirmationMail, OrderShippedMail } from "../../../src/application/order/order-mails.js";
import { OrderSummaryProjection } from "../../../src/application/order/order-summary-projection.js";
import { Order } from "../../../src/domain/order/order.js";
import { money } from "../../../src/domain/shared/money.js";
import { User } from "../../../src/domain/user/user.js";
import { LOG_START, type RecordedEvent } from "../../../src/ports/event-log.js";
import { test } from "../../support/uvu.js";

const metadata = { correlationId: "order-subscribers", principal: "system:test" };
const ADDRESS = {
  name: "Ann Lee",
  lines: ["Hauptstraße 5"],
  city: "Berlin",
  postalCode: "10115",
  country: "DE",
};
const T = (day: number) => new Date(`2026-01-0${day}T10:00:00.000Z`);

/** A memory store with one customer and whatever `story` does to orders, and the events it logged. */
async function given(story: (save: (order: Order) => Promise<void>, customerId: string) => Promise<void>) {
  const db = new MemoryDatabase(() => randomUUID());
  const uow = new MemoryUnitOfWork(db);
  const orders = new MemoryOrderRepository(db);
  const customerId = randomUUID();
  await uow.run(metadata, () =>
    new MemoryUserRepository(db).save(
      User.register(
        { id: customerId, email: "ann@example.com", givenName: "Ann", familyName: "Lee", roles: [] },
        T(1),
      ),
    ),
  );
  await story((order) => uow.run(metadata, () => orders.save(order)), customerId);
  const log = new MemoryEventLog(db);
  const events = (await log.readAfter(LOG_START, 1000)).filter((e) => e.aggregateType === "order");
  return { db, uow, log, events, customerId };
}

function chairs(
  customerId: string,
  quantity: number,
  priceMinor: number,
  day: number,
  currency = "EUR",
): Order {
  return Order.place(
    {
      id: randomUUID(),
      customerId,
      lines: [
        {
          productId: randomUUID(),
          quantity,
          unitPrice: money(priceMinor, currency),
          productName: "Oak chair",
        },
      ],
      shippingAddress: ADDRESS,
    },
    T(day),
  );
}

/** Delivers each event through the handler as the worker does: idempotently, `times` over. */
async function deliver(
  handler: EventHandler,
  context: { uow: MemoryUnitOfWork; db: MemoryDatabase },
  events: readonly RecordedEvent[],
  times = 1,
) {
  const subscription = idempotent(handler, context.uow, new MemoryInbox(context.db));
  for (let round = 0; round < times; round++) {
    for (const event of events) {
      if (handler.eventTypes.includes(event.type)) await subscription.handle(event, { attempt: 1 } as never);
    }
  }
}

const story = async (save: (order: Order) => Promise<void>, customer: string) => {
  const paid = chairs(customer, 2, 1000, 2);
  await save(paid);
  paid.confirm(T(3));
  paid.markPaid("pay-1", T(3));
  await save(paid);
  const refunded = chairs(customer, 1, 500, 4);
  await save(refunded);
  refunded.confirm(T(4));
  refunded.markPaid("pay-2", T(4));
  refunded.cancel({ kind: "customer", userId: customer }, "changed my mind", T(5));
  await save(refunded);
  const inDollars = chairs(customer, 1, 700, 6, "USD");
  await save(inDollars);
  inDollars.confirm(T(6));
  inDollars.markPaid("pay-3", T(6));
  inDollars.ship(T(7));
  await save(inDollars);
  // Placed last but never paid: counted, and the last order, but nothing spent.
  await save(chairs(customer, 1, 9900, 8));
};

test("given orders paid, refunded and unpaid, then the summary counts every order, keeps the last, and sums what was spent per currency", async () => {
  const context = await given(story);
  const summaries = new MemoryOrderSummaries(context.db);
  await deliver(new OrderSummaryProjection(summaries, context.log), context, context.events);

  const summary = await summaries.get(context.customerId);
  assert.is(summary?.orderCount, 4);
  assert.equal(summary?.spent, [
    { currency: "EUR", amountMinor: 2000 },
    { currency: "USD", amountMinor: 700 },
  ]);
  assert.is(summary?.lastOrder?.placedAt, T(8).toISOString());
});

test("given every event delivered twice, then the summary is what one delivery makes", async () => {
  const context = await given(story);
  const once = new MemoryOrderSummaries(context.db, "once");
  const twice = new MemoryOrderSummaries(context.db, "twice");
  await deliver(new OrderSummaryProjection(once, context.log), context, context.events);
  // Another subscriber name, so the second copy has an inbox of its own.
  const again = Object.assign(new OrderSummaryProjection(twice, context.log), {
    name: "order-summary-again",
  });
  await deliver(again, context, context.events, 2);
  assert.equal(await twice.get(context.customerId), await once.get(context.customerId));
});

test("when an order's confirmation and shipping mail jobs run, then the customer gets each mail, with the order's lines", async () => {
  const context = await given(async (save, customer) => {
    const order = chairs(customer, 2, 12999, 2);
    await save(order);
    order.confirm(T(3));
    await save(order);
    order.markPaid("pay-1", T(3));
    order.ship(T(4));
    await save(order);
  });
  const mailer = new RecordingMailer();
  const users = new MemoryUserReadModel(context.db);
  const orderId = context.events[0]?.aggregateId ?? "";
  const job = { orderId, correlationId: "order-subscribers" };
  await new OrderConfirmationMail(context.log, users, mailer).handle(job);
  await new OrderShippedMail(context.log, users, mailer).handle(job);

  const sent = mailer.sent();
  assert.equal(
    sent.map((mail) => [mail.to, mail.subject.replace(/ [0-9a-f-]{36} /, " <id> ")]),
    [
      ["ann@example.com", "Your order <id> is confirmed"],
      ["ann@example.com", "Your order <id> has shipped"],
    ],
  );
  assert.match(sent[0]?.text ?? "", /2 × Oak chair at 129\.99 EUR\nTotal: 259\.98 EUR/);
  assert.match(sent[1]?.text ?? "", /on its way to Ann Lee, Berlin \(DE\)/);
});

test.run();
