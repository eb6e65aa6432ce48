import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { Product } from "../../../src/domain/product/product.js";
import { money } from "../../../src/domain/shared/money.js";
import type { ProductCriteria } from "../../../src/ports/product/product-read-model.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";

const meta = { correlationId: "read-contract", principal: "system:test" };

/** Products named "<tag> <name>" so each test filters to its own rows in a shared store. */
async function seed(
  store: Store,
  tag: string,
  rows: readonly (readonly [string, number, string])[],
): Promise<void> {
  await store.unitOfWork.run(meta, async () => {
    for (const [name, price, at] of rows) {
      const sku = `RM-${randomUUID().slice(0, 8)}`.toUpperCase();
      const product = Product.create(
        { id: randomUUID(), name: `${tag} ${name}`, sku, price: money(price, "EUR"), initialStock: 1 },
        new Date(at),
      );
      await store.products.save(product);
    }
  });
}

const criteria = (tag: string, over: Partial<ProductCriteria> = {}): ProductCriteria => ({
  nameContains: tag,
  sort: { field: "name", direction: "asc" },
  page: 1,
  pageSize: 10,
  ...over,
});

const names = (items: readonly { name: string }[], tag: string) =>
  items.map((p) => p.name.replace(`${tag} `, ""));

await contract("ProductReadModel", (it) => {
  it("get returns the view with version and timestamps; an unknown id gives undefined", async (store) => {
    const tag = `g${randomUUID().slice(0, 6)}`;
    await seed(store, tag, [["Desk", 15000, "2026-01-01T10:00:00.000Z"]]);
    const [view] = (await store.productViews.list(criteria(tag))).items;
    if (view === undefined) throw new Error("not listed");
    const got = await store.productViews.get(view.id);
    assert.equal(
      { ...got, id: undefined, sku: undefined },
      {
        id: undefined,
        sku: undefined,
        name: `${tag} Desk`,
        priceMinor: 15000,
        currency: "EUR",
        onHand: 1,
        reserved: 0,
        version: 1,
        createdAt: "2026-01-01T10:00:00.000Z",
        updatedAt: "2026-01-01T10:00:00.000Z",
      },
    );
    assert.is(await store.productViews.get(randomUUID()), undefined);
  });

  it("the name filter is a case-insensitive substring; % and _ are literal", async (store) => {
    const tag = `f${randomUUID().slice(0, 6)}`;
    await seed(store, tag, [
      ["Red Chair", 1, "2026-01-01T00:00:00Z"],
      ["red table", 2, "2026-01-01T00:00:01Z"],
      ["100% wool", 3, "2026-01-01T00:00:02Z"],
      ["Blue chair", 4, "2026-01-01T00:00:03Z"],
    ]);
    assert.equal(names((await store.productViews.list(criteria(`${tag} RED`))).items, tag), [
      "Red Chair",
      "red table",
    ]);
    assert.equal(names((await store.productViews.list(criteria(`${tag} 100%`))).items, tag), ["100% wool"]);
    assert.is((await store.productViews.list(criteria(`${tag} _ed`))).total, 0);
  });

  it("price bounds are inclusive; sorts apply in both directions with id as tie-breaker; pages and total", async (store) => {
    const tag = `p${randomUUID().slice(0, 6)}`;
    await seed(store, tag, [
      ["A", 500, "2026-01-01T00:00:04Z"],
      ["B", 1000, "2026-01-01T00:00:03Z"],
      ["C", 1000, "2026-01-01T00:00:02Z"],
      ["D", 2000, "2026-01-01T00:00:01Z"],
    ]);
    const inRange = await store.productViews.list(
      criteria(tag, { minPriceMinor: 1000, maxPriceMinor: 2000 }),
    );
    assert.equal(names(inRange.items, tag), ["B", "C", "D"]);
    const byCreated = await store.productViews.list(
      criteria(tag, { sort: { field: "createdAt", direction: "desc" } }),
    );
    assert.equal(names(byCreated.items, tag), ["A", "B", "C", "D"]);
    const byPriceDesc = await store.productViews.list(
      criteria(tag, { sort: { field: "price", direction: "desc" } }),
    );
    assert.equal(names(byPriceDesc.items, tag).slice(0, 1), ["D"]);
    const page2 = await store.productViews.list(criteria(tag, { pageSize: 3, page: 2 }));
    assert.equal([names(page2.items, tag), page2.total], [["D"], 4]);
    const beyond = await store.productViews.list(criteria(tag, { pageSize: 3, page: 5 }));
    assert.equal([beyond.items.length, beyond.total], [0, 4]);
  });
});
