import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import * as assert from "uvu/assert";
import type { Database } from "../../../src/adapters/persistence/kysely/database.js";
import { idempotent } from "../../../src/application/messaging/idempotent-subscriber.js";
import { replay } from "../../../src/application/messaging/replay.js";
import { OrderSummaryProjection } from "../../../src/application/order/order-summary-projection.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { Order } from "../../../src/domain/order/order.js";
import { money } from "../../../src/domain/shared/money.js";
import { LOG_START } from "../../../src/ports/event-log.js";
import { Inbox } from "../../../src/ports/inbox.js";
import { OrderRepository } from "../../../src/ports/order/order-repository.js";
import { OrderSummaries } from "../../../src/ports/order/order-summaries.js";
import { type ReadModelRebuild, ReadModelRebuilds } from "../../../src/ports/read-model-rebuild.js";
import { eventually } from "../../support/eventually.js";
import { openStore, type Store } from "../../support/persistence.js";
import { postgresDecision } from "../../support/postgres.js";
import { suite } from "../../support/uvu.js";

const metadata = { correlationId: "order-replay", principal: "system:test" };
const ADDRESS = {
  name: "Ann Lee",
  lines: ["Hauptstraße 5"],
  city: "Berlin",
  postalCode: "10115",
  country: "DE",
};

for (const driver of ["pglite", "postgres"] as const) {
  const decision = driver === "postgres" ? await postgresDecision() : ({ run: true } as const);
  const replays = suite<{ store?: Store }>(`replay order summaries [${driver}]`);
  if (decision.run) {
    replays.before(async (context) => {
      context.store = await openStore(driver);
    });
    replays.after(async (context) => {
      await context.store?.close();
    });
  }

  const spec = async (context: { store?: Store }) => {
    const store = context.store;
    if (store === undefined) throw new Error("no store");
    const orders = store.container.get<OrderRepository>(OrderRepository);
    const summaries = store.container.get<OrderSummaries>(OrderSummaries);
    const customers = [randomUUID(), randomUUID()];
    // Given orders of two customers: each placed, the even ones paid, one of those cancelled,
    for (let n = 0; n < 6; n++) {
      const customerId = customers[n % 2] as string;
      const order = Order.place(
        {
          id: randomUUID(),
          customerId,
          lines: [{ productId: randomUUID(), quantity: n + 1, unitPrice: money(1000, "EUR") }],
          shippingAddress: ADDRESS,
        },
        new Date(Date.UTC(2026, 0, n + 1)),
      );
      if (n % 2 === 0) {
        order.confirm(new Date(Date.UTC(2026, 0, n + 1, 1)));
        order.markPaid(`pay-${n}`, new Date(Date.UTC(2026, 0, n + 1, 2)));
      }
      if (n === 4)
        order.cancel({ kind: "admin", userId: randomUUID() }, "fraud", new Date(Date.UTC(2026, 0, 9)));
      await store.unitOfWork.run(metadata, () => orders.save(order));
    }
    const logged = await eventually(
      "the orders' 13 events readable in the log",
      () => store.eventLog.readAfter(LOG_START, 1000),
      (events) => events.filter((e) => e.aggregateType === "order").length === 13,
      15_000,
    );
    // the live summary, fed by its subscriber,
    const live = idempotent(
      new OrderSummaryProjection(summaries, store.eventLog),
      store.unitOfWork,
      store.container.get<Inbox>(Inbox),
    );
    for (const event of logged) await live.handle(event, { attempt: 1 });
    const before = await Promise.all(customers.map((id) => summaries.get(id)));
    assert.equal(
      before.map((s) => [s?.orderCount, s?.spent]),
      [
        [3, [{ currency: "EUR", amountMinor: 4000 }]],
        [3, []],
      ],
    );

    // and live tables that have drifted,
    const db = store.container.get<Kysely<Database>>(Tokens.Database);
    await sql`update order_customer_summaries set order_count = 99`.execute(db);
    await sql`delete from order_customer_spending`.execute(db);

    // when they are replayed from position zero, twice,
    const rebuild = store.container
      .getAll<ReadModelRebuild>(ReadModelRebuilds)
      .find((r) => r.name === "order-customer-summary");
    if (rebuild === undefined) throw new Error("no rebuild registered");
    for (let round = 0; round < 2; round++) await replay(rebuild, store.eventLog, store.unitOfWork, () => {});

    // then they equal what the live subscriber had built.
    assert.equal(await Promise.all(customers.map((id) => summaries.get(id))), before);
  };

  const title = "a rebuilt order summary equals the live one, and replaying twice changes nothing";
  if (decision.run) replays(title, spec);
  else replays.skip(`${title} (${decision.reason})`, spec);
  replays.run();
}
