import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { Order } from "../../../src/domain/order/order.js";
import { orderId } from "../../../src/domain/order/order-id.js";
import { Product } from "../../../src/domain/product/product.js";
import { productId } from "../../../src/domain/product/product-id.js";
import { money } from "../../../src/domain/shared/money.js";
import { type OrderCriteria, OrderReadModel } from "../../../src/ports/order/order-read-model.js";
import { OrderRepository } from "../../../src/ports/order/order-repository.js";
import { OrderSummaries } from "../../../src/ports/order/order-summaries.js";
import { ProductCatalog } from "../../../src/ports/order/product-catalog.js";
import { ConcurrencyConflict } from "../../../src/ports/unit-of-work.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";

const meta = { correlationId: "order-contract", principal: "system:test" };
const ADDRESS = {
  name: "Ann Lee",
  lines: ["Hauptstraße 5"],
  city: "Berlin",
  postalCode: "10115",
  country: "DE",
};

const ports = (store: Store) => ({
  orders: store.container.get<OrderRepository>(OrderRepository),
  views: store.container.get<OrderReadModel>(OrderReadModel),
  summaries: store.container.get<OrderSummaries>(OrderSummaries),
  catalog: store.container.get<ProductCatalog>(ProductCatalog),
});

function newOrder(customerId: string, priceMinor: number, at: string): Order {
  return Order.place(
    {
      id: randomUUID(),
      customerId,
      lines: [
        { productId: randomUUID(), quantity: 1, unitPrice: money(priceMinor, "EUR"), productName: "Chair" },
      ],
      shippingAddress: ADDRESS,
    },
    new Date(at),
  );
}

async function saved(store: Store, ...orders: Order[]): Promise<void> {
  await store.unitOfWork.run(meta, async () => {
    for (const order of orders) await ports(store).orders.save(order);
  });
}

const mine = (customerId: string, over: Partial<OrderCriteria> = {}): OrderCriteria => ({
  customerId,
  sort: { field: "placedAt", direction: "asc" },
  page: 1,
  pageSize: 10,
  ...over,
});

await contract("order persistence", (it) => {
  it("OrderRepository: a saved order loads equal to the one saved, at its version; an unknown id is undefined", async (store) => {
    const order = newOrder(randomUUID(), 1999, "2026-01-01T10:00:00.000Z");
    await saved(store, order);
    order.confirm(new Date("2026-01-01T10:05:00.000Z"));
    await saved(store, order);
    const loaded = await ports(store).orders.get(order.id);
    assert.equal(loaded?.snapshot(), order.snapshot());
    assert.is(loaded?.version, 2);
    assert.is(await ports(store).orders.get(orderId(randomUUID())), undefined);
  });

  it("OrderRepository: its events are appended to the log in the same unit of work", async (store) => {
    const order = newOrder(randomUUID(), 500, "2026-01-01T10:00:00.000Z");
    await saved(store, order);
    const history = await store.eventLog.history("order", order.id);
    assert.equal(
      history.map((e) => [e.type, e.version]),
      [["order.placed", 1]],
    );
  });

  it("OrderRepository: a save from a stale version is a ConcurrencyConflict and stores nothing", async (store) => {
    const order = newOrder(randomUUID(), 500, "2026-01-01T10:00:00.000Z");
    await saved(store, order);
    const first = await ports(store).orders.get(order.id);
    const second = await ports(store).orders.get(order.id);
    if (first === undefined || second === undefined) throw new Error("not stored");
    first.confirm(new Date("2026-01-01T11:00:00.000Z"));
    await saved(store, first);
    second.reject("out of stock", new Date("2026-01-01T11:00:00.000Z"));
    await rejects(() => saved(store, second), ConcurrencyConflict);
    assert.is((await ports(store).orders.get(order.id))?.status, "confirmed");
  });

  it("OrderReadModel: lists one customer's orders by status, sorted by time or total either way, paged", async (store) => {
    const customer = randomUUID();
    const a = newOrder(customer, 3000, "2026-01-01T10:00:00.000Z");
    const b = newOrder(customer, 1000, "2026-01-02T10:00:00.000Z");
    const c = newOrder(customer, 2000, "2026-01-03T10:00:00.000Z");
    c.confirm(new Date("2026-01-03T11:00:00.000Z"));
    await saved(store, a, b, c, newOrder(randomUUID(), 500, "2026-01-01T10:00:00.000Z"));
    const { views } = ports(store);

    const byTime = await views.list(mine(customer));
    assert.equal(
      byTime.items.map((o) => o.id),
      [a.id, b.id, c.id],
    );
    assert.is(byTime.total, 3);
    const byTotalDesc = await views.list(mine(customer, { sort: { field: "total", direction: "desc" } }));
    assert.equal(
      byTotalDesc.items.map((o) => o.id),
      [a.id, c.id, b.id],
    );
    const paged = await views.list(
      mine(customer, { pageSize: 2, page: 2, sort: { field: "placedAt", direction: "desc" } }),
    );
    assert.equal(
      paged.items.map((o) => o.id),
      [a.id],
    );
    assert.is(paged.total, 3);
    const placed = await views.list(mine(customer, { status: "placed" }));
    assert.equal(
      placed.items.map((o) => o.id),
      [a.id, b.id],
    );
    const view = await views.get(c.id);
    assert.equal(view, { ...c.snapshot(), version: 2 });
    assert.is(await views.get(randomUUID()), undefined);
  });

  it("OrderSummaries: counts orders, keeps the latest placed, and adds spending per currency", async (store) => {
    const customer = randomUUID();
    const [early, late] = [randomUUID(), randomUUID()];
    const { summaries } = ports(store);
    assert.is(await summaries.get(customer), undefined);
    await store.unitOfWork.run(meta, async () => {
      await summaries.recordPlaced(customer, late, "2026-01-02T10:00:00.000Z");
      // Arriving later but placed earlier: counted, not the last order.
      await summaries.recordPlaced(customer, early, "2026-01-01T10:00:00.000Z");
      await summaries.addSpent(customer, "USD", 500);
      await summaries.addSpent(customer, "EUR", 1999);
      await summaries.addSpent(customer, "EUR", 1000);
      await summaries.addSpent(customer, "USD", -500);
    });
    assert.equal(await summaries.get(customer), {
      customerId: customer,
      orderCount: 2,
      spent: [
        { currency: "EUR", amountMinor: 2999 },
        { currency: "USD", amountMinor: 0 },
      ],
      lastOrder: { id: late, placedAt: "2026-01-02T10:00:00.000Z" },
    });
  });

  it("ProductCatalog: finds products by id with their current name and price; unknown ids are absent", async (store) => {
    const product = Product.create(
      {
        id: randomUUID(),
        name: "Oak chair",
        sku: `OC-${randomUUID().slice(0, 8)}`.toUpperCase(),
        price: money(12999, "EUR"),
        initialStock: 3,
      },
      new Date("2026-01-01T10:00:00.000Z"),
    );
    await store.unitOfWork.run(meta, () => store.products.save(product));
    await store.unitOfWork.run(meta, async () => {
      const later = await store.products.get(productId(product.id));
      if (later === undefined) throw new Error("not stored");
      later.rename("Oak chair, oiled", new Date("2026-01-02T10:00:00.000Z"));
      later.changePrice(money(13999, "EUR"), new Date("2026-01-02T10:00:00.000Z"));
      await store.products.save(later);
    });
    const unknown = randomUUID();
    const found = await ports(store).catalog.find([product.id, unknown]);
    assert.equal(
      [...found.entries()],
      [
        [
          product.id,
          { id: product.id, name: "Oak chair, oiled", unitPrice: { amountMinor: 13999, currency: "EUR" } },
        ],
      ],
    );
  });
});
