import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { RecordingMailer } from "../../../src/adapters/mail/recording-mailer.js";
import { MemoryInbox } from "../../../src/adapters/memory/memory-inbox.js";
import { MemoryUnitOfWork } from "../../../src/adapters/memory/memory-unit-of-work.js";
import { MemoryStockMovements } from "../../../src/adapters/product/memory/memory-stock-movements.js";
import { idempotent } from "../../../src/application/messaging/idempotent-subscriber.js";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { CommitStock } from "../../../src/application/product/commit-stock.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import { LowStockAlert } from "../../../src/application/product/low-stock-alert.js";
import { ReleaseStock } from "../../../src/application/product/release-stock.js";
import { ReserveStock } from "../../../src/application/product/reserve-stock.js";
import { StockHistoryProjection } from "../../../src/application/product/stock-history-projection.js";
import { LOG_START, type RecordedEvent } from "../../../src/ports/event-log.js";
import { ctx, productHarness } from "../../support/product-harness.js";
import { test } from "../../support/uvu.js";

const chair = { name: "Oak chair", sku: "CH-1", priceMinor: 12999, currency: "EUR", initialStock: 10 };

/**
 * One change to the product: a stock adjustment, a reservation of line 0 of a new order, or the
 * release or commit of the n-th order reserved (from 1).
 */
type Move =
  | { readonly adjust: number }
  | { readonly reserve: number }
  | { readonly release: number }
  | { readonly commit: number };

/** A product with stock 10, then `moves` in order, each a command, with every event the log holds. */
async function productWith(...moves: Move[]) {
  const harness = productHarness();
  const { id } = await harness.commands.dispatch(new CreateProduct(ctx, chair));
  const orders: string[] = [];
  const nth = (n: number) => {
    const orderId = orders[n - 1];
    if (orderId === undefined) throw new Error(`no order ${n} reserved yet`);
    return orderId;
  };
  for (const move of moves) {
    if ("adjust" in move) {
      await harness.commands.dispatch(new AdjustStock(ctx, { id, delta: move.adjust, reason: "count" }));
    } else if ("reserve" in move) {
      const orderId = randomUUID();
      orders.push(orderId);
      await harness.commands.dispatch(
        new ReserveStock(ctx, { productId: id, orderId, line: 0, quantity: move.reserve }),
      );
    } else if ("release" in move) {
      await harness.commands.dispatch(new ReleaseStock(ctx, { productId: id, orderId: nth(move.release) }));
    } else {
      await harness.commands.dispatch(new CommitStock(ctx, { productId: id, orderId: nth(move.commit) }));
    }
  }
  const events = await harness.eventLog.readAfter(LOG_START, 100);
  return { ...harness, id, orders, events };
}

async function alertsFor(
  events: readonly RecordedEvent[],
  threshold: number,
  log: ReturnType<typeof productHarness>["eventLog"],
) {
  const mailer = new RecordingMailer();
  const alert = new LowStockAlert(log, mailer, { threshold, recipient: "stock@example.com" });
  for (const event of events) {
    if (alert.eventTypes.includes(event.type)) await alert.apply(event);
  }
  return mailer.sent();
}

test("given stock 10 and a threshold of 5, when a reservation of 6 leaves 4 available, then one alert names the product and the figures", async () => {
  const { events, eventLog } = await productWith({ reserve: 6 });

  const sent = await alertsFor(events, 5, eventLog);

  assert.equal(sent, [
    {
      to: "stock@example.com",
      subject: "Low stock: Oak chair (CH-1)",
      text: "Oak chair (CH-1) has 4 available, below the threshold of 5.",
    },
  ]);
});

test("given stock already below the threshold, when more is reserved or taken away, then no second alert goes out", async () => {
  const { events, eventLog } = await productWith({ reserve: 6 }, { reserve: 1 }, { adjust: -1 });

  const sent = await alertsFor(events, 5, eventLog);

  assert.is(sent.length, 1, "only the event that crossed the threshold alerts");
  assert.match(sent[0]?.text ?? "", /has 4 available/);
});

test("given a reservation released back above the threshold, when stock is reserved below it again, then it alerts again", async () => {
  const { events, eventLog } = await productWith({ reserve: 6 }, { release: 1 }, { reserve: 7 });

  const sent = await alertsFor(events, 5, eventLog);

  assert.equal(
    sent.map((mail) => mail.text),
    [
      "Oak chair (CH-1) has 4 available, below the threshold of 5.",
      "Oak chair (CH-1) has 3 available, below the threshold of 5.",
    ],
  );
});

test("given a reservation that alerted, when it is committed, then no second alert: shipping does not change what is available", async () => {
  const { events, eventLog } = await productWith({ reserve: 6 }, { commit: 1 });

  const sent = await alertsFor(events, 5, eventLog);

  assert.is(sent.length, 1);
  assert.is(events.at(-1)?.type, "product.reservation_committed");
});

test("given stock 10, when a reservation leaves exactly the threshold available, then no alert: only falling below it counts", async () => {
  const { events, eventLog } = await productWith({ reserve: 5 });

  assert.equal(await alertsFor(events, 5, eventLog), []);
});

test("given reservations, a release and a commit, when the stock history projection applies them, then each is a movement with its quantity and order", async () => {
  const { events, db, id, orders } = await productWith(
    { reserve: 3 },
    { reserve: 2 },
    { release: 1 },
    { commit: 2 },
  );
  const movements = new MemoryStockMovements(db);
  const subscriber = idempotent(
    new StockHistoryProjection(movements),
    new MemoryUnitOfWork(db),
    new MemoryInbox(db),
  );

  for (const event of events) await subscriber.handle(event, { attempt: 1 });

  const [first, second] = orders;
  assert.equal(
    (await movements.history(id)).map((m) => [m.version, m.kind, m.quantity, m.note]),
    [
      [1, "initial", 10, "initial stock"],
      [2, "reserved", 3, `order ${first} line 0`],
      [3, "reserved", 2, `order ${second} line 0`],
      [4, "released", 3, `order ${first}`],
      [5, "committed", 2, `order ${second}`],
    ],
  );
});

test.run();
