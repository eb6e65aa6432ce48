import * as assert from "uvu/assert";
import { RecordingMailer } from "../../../src/adapters/mail/recording-mailer.js";
import { MemoryInbox } from "../../../src/adapters/memory/memory-inbox.js";
import { MemoryUnitOfWork } from "../../../src/adapters/memory/memory-unit-of-work.js";
import { MemoryStockMovements } from "../../../src/adapters/product/memory/memory-stock-movements.js";
import { idempotent } from "../../../src/application/messaging/idempotent-subscriber.js";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import { LowStockAlert } from "../../../src/application/product/low-stock-alert.js";
import { StockHistoryProjection } from "../../../src/application/product/stock-history-projection.js";
import { productId } from "../../../src/domain/product/product-id.js";
import { LOG_START, type RecordedEvent } from "../../../src/ports/event-log.js";
import { ctx, productHarness } from "../../support/product-harness.js";
import { test } from "../../support/uvu.js";

const chair = { name: "Oak chair", sku: "CH-1", priceMinor: 12999, currency: "EUR", initialStock: 10 };
const metadata = { correlationId: "test-correlation", principal: "system" };

/** One change to the product: a stock adjustment (a command), or a reservation or release. */
type Move = { readonly adjust: number } | { readonly reserve: number } | { readonly release: number };

/**
 * A product with stock 10, then `moves` in order, with every event the log holds. Reservations have
 * no command yet (an order context would make them): they go through the domain and the repository.
 */
async function productWith(...moves: Move[]) {
  const harness = productHarness();
  const { id } = await harness.commands.dispatch(new CreateProduct(ctx, chair));
  const uow = new MemoryUnitOfWork(harness.db);
  for (const move of moves) {
    if ("adjust" in move) {
      await harness.commands.dispatch(new AdjustStock(ctx, { id, delta: move.adjust, reason: "count" }));
      continue;
    }
    await uow.run(metadata, async () => {
      const product = await harness.repository.get(productId(id));
      if (product === undefined) throw new Error(`no product ${id}`);
      if ("reserve" in move) product.reserve(move.reserve, "order-1", harness.clock.now());
      else product.release(move.release, "order-1", harness.clock.now());
      await harness.repository.save(product);
    });
  }
  const events = await harness.eventLog.readAfter(LOG_START, 100);
  return { ...harness, id, events };
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
  const { events, eventLog } = await productWith({ reserve: 6 }, { release: 6 }, { reserve: 7 });

  const sent = await alertsFor(events, 5, eventLog);

  assert.equal(
    sent.map((mail) => mail.text),
    [
      "Oak chair (CH-1) has 4 available, below the threshold of 5.",
      "Oak chair (CH-1) has 3 available, below the threshold of 5.",
    ],
  );
});

test("given stock 10, when a reservation leaves exactly the threshold available, then no alert: only falling below it counts", async () => {
  const { events, eventLog } = await productWith({ reserve: 5 });

  assert.equal(await alertsFor(events, 5, eventLog), []);
});

test("given reservations and releases, when the stock history projection applies them, then each is a movement with its quantity and reference", async () => {
  const { events, db, id } = await productWith({ reserve: 3 }, { release: 2 });
  const movements = new MemoryStockMovements(db);
  const subscriber = idempotent(
    new StockHistoryProjection(movements),
    new MemoryUnitOfWork(db),
    new MemoryInbox(db),
  );

  for (const event of events) await subscriber.handle(event, { attempt: 1 });

  assert.equal(
    (await movements.history(id)).map((m) => [m.version, m.kind, m.quantity, m.note]),
    [
      [1, "initial", 10, "initial stock"],
      [2, "reserved", 3, "order-1"],
      [3, "released", 2, "order-1"],
    ],
  );
});

test.run();
