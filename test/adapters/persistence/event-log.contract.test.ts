import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { Product } from "../../../src/domain/product/product.js";
import { money } from "../../../src/domain/shared/money.js";
import { checkpointOf, LOG_START, type RecordedEvent } from "../../../src/ports/event-log.js";
import { contract } from "../../support/contract.js";
import { eventually } from "../../support/eventually.js";
import type { Store } from "../../support/persistence.js";

const meta = { correlationId: "log-contract", principal: "system:test" };
const NOW = new Date("2026-03-01T12:00:00.000Z");

async function created(store: Store): Promise<Product> {
  const sku = `LOG-${randomUUID().slice(0, 8)}`.toUpperCase();
  const product = Product.create(
    { id: randomUUID(), name: "Logged", sku, price: money(1, "EUR"), initialStock: 5 },
    NOW,
  );
  product.adjustStock(1, "delivery", NOW);
  await store.unitOfWork.run(meta, () => store.products.save(product));
  return product;
}

/** Reads the whole log from the start, page by page, as a relay does. */
async function readAll(store: Store, pageSize: number): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let checkpoint = LOG_START;
  for (;;) {
    const page = await store.eventLog.readAfter(checkpoint, pageSize);
    if (page.length === 0) return all;
    all.push(...page);
    const last = page[page.length - 1];
    if (last === undefined) return all;
    checkpoint = checkpointOf(last);
  }
}

await contract("EventLog", (it) => {
  it("history returns one aggregate's events in version order with ids, data and occurrence time", async (store) => {
    const product = await created(store);
    const history = await store.eventLog.history("product", product.id);
    assert.equal(
      history.map((e) => [e.type, e.version, e.aggregateId, e.occurredAt]),
      [
        ["product.created", 1, product.id, NOW.toISOString()],
        ["product.stock_adjusted", 2, product.id, NOW.toISOString()],
      ],
    );
    assert.equal(history[1]?.data, { delta: 1, reason: "delivery" });
    assert.is(new Set(history.map((e) => e.id)).size, 2);
  });

  it("reading after checkpoints, page by page, returns every committed event exactly once, in order", async (store) => {
    const products = [await created(store), await created(store), await created(store)];
    // Bounded wait: a transaction still open elsewhere on a shared server holds the newest back.
    const all = await eventually(
      "every event of the three products",
      () => readAll(store, 2),
      (events) => products.every((p) => events.filter((e) => e.aggregateId === p.id).length >= 2),
    );
    const ids = all.map((e) => e.id);
    assert.is(new Set(ids).size, ids.length, "no event twice");
    for (const product of products) {
      const versions = all.filter((e) => e.aggregateId === product.id).map((e) => e.version);
      assert.equal(versions, [1, 2], "each aggregate complete and in version order");
    }
    const keys = all.map((e) => [BigInt(e.transactionId), e.position] as const);
    const sorted = [...keys].sort(([ta, pa], [tb, pb]) => (ta === tb ? pa - pb : ta < tb ? -1 : 1));
    assert.equal(keys, sorted, "commit-safe order");
  });

  it("reading after the last checkpoint returns nothing until something new commits", async (store) => {
    const first = await created(store);
    const all = await eventually(
      "the first product's events",
      () => readAll(store, 100),
      (events) => events.filter((e) => e.aggregateId === first.id).length === 2,
    );
    const last = all[all.length - 1];
    if (last === undefined) throw new Error("empty log");
    assert.equal(await store.eventLog.readAfter(checkpointOf(last), 10), []);
    const later = await created(store);
    const next = await eventually(
      "the later product's events",
      () => store.eventLog.readAfter(checkpointOf(last), 10),
      (events) => events.length >= 2,
    );
    assert.equal(
      next.map((e) => e.aggregateId),
      [later.id, later.id],
    );
  });
});
