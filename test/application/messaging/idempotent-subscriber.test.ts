import * as assert from "uvu/assert";
import { MemoryInbox } from "../../../src/adapters/memory/memory-inbox.js";
import { MemoryUnitOfWork } from "../../../src/adapters/memory/memory-unit-of-work.js";
import { MemoryStockMovements } from "../../../src/adapters/product/memory/memory-stock-movements.js";
import { idempotent } from "../../../src/application/messaging/idempotent-subscriber.js";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import { StockHistoryProjection } from "../../../src/application/product/stock-history-projection.js";
import { LOG_START } from "../../../src/ports/event-log.js";
import { ctx, productHarness } from "../../support/product-harness.js";
import { test } from "../../support/uvu.js";

test("given the stock history projection, applying every event twice leaves the same history as applying it once", async () => {
  const { commands, eventLog, db } = productHarness();
  const { id } = await commands.dispatch(
    new CreateProduct(ctx, { name: "Twice", sku: "TW-1", priceMinor: 1, currency: "EUR", initialStock: 4 }),
  );
  await commands.dispatch(new AdjustStock(ctx, { id, delta: -1, reason: "broken" }));
  await commands.dispatch(new AdjustStock(ctx, { id, delta: 6, reason: "delivery" }));
  const movements = new MemoryStockMovements(db);
  const subscriber = idempotent(
    new StockHistoryProjection(movements),
    new MemoryUnitOfWork(db),
    new MemoryInbox(db),
  );
  const events = await eventLog.readAfter(LOG_START, 100);

  for (const event of events) await subscriber.handle(event, { attempt: 1 });
  const once = await movements.history(id);
  for (const event of events) await subscriber.handle(event, { attempt: 2 });
  const twice = await movements.history(id);

  assert.equal(
    once.map((m) => [m.kind, m.quantity]),
    [
      ["initial", 4],
      ["adjusted", -1],
      ["adjusted", 6],
    ],
  );
  assert.equal(twice, once);
});

test("the subscriber's unit of work carries the event's correlation id and names the event as the cause", async () => {
  const { commands, eventLog, db } = productHarness();
  await commands.dispatch(
    new CreateProduct(ctx, { name: "Caused", sku: "CA-1", priceMinor: 1, currency: "EUR", initialStock: 1 }),
  );
  const [event] = await eventLog.readAfter(LOG_START, 1);
  if (event === undefined) throw new Error("no event");
  const seen: unknown[] = [];
  const subscriber = idempotent(
    { name: "spy", eventTypes: ["product.created"], apply: async () => void seen.push("applied") },
    {
      run: async (metadata, work) => {
        seen.push(metadata);
        return work();
      },
    },
    new MemoryInbox(db),
  );
  await db.transaction({ correlationId: "outer", principal: "system" }, () =>
    subscriber.handle(event, { attempt: 1 }),
  );
  assert.equal(seen, [
    { correlationId: "test-correlation", causationId: event.id, principal: "system:spy" },
    "applied",
  ]);
});

test.run();
