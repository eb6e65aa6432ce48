import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { Product } from "../../../src/domain/product/product.js";
import { ProductSkuTaken } from "../../../src/domain/product/product-errors.js";
import type { ProductEvent } from "../../../src/domain/product/product-events.js";
import { productId } from "../../../src/domain/product/product-id.js";
import { money } from "../../../src/domain/shared/money.js";
import { ConcurrencyConflict } from "../../../src/ports/unit-of-work.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";

const meta = { correlationId: "contract", principal: "system:test" };
const NOW = new Date("2026-03-01T12:00:00.000Z");

function newProduct(sku = `SKU-${randomUUID().slice(0, 8)}`.toUpperCase()): Product {
  return Product.create(
    { id: randomUUID(), name: "Contract chair", sku, price: money(4200, "EUR"), initialStock: 10 },
    NOW,
  );
}

async function saved(store: Store, product: Product): Promise<Product> {
  await store.unitOfWork.run(meta, () => store.products.save(product));
  return product;
}

await contract("ProductRepository", (it) => {
  it("given a saved product, get returns the same state and version", async (store) => {
    const product = await saved(store, newProduct());
    const loaded = await store.products.get(product.id);
    assert.equal(loaded?.snapshot(), product.snapshot());
    assert.is(loaded?.version, 1);
    assert.is(loaded?.pendingEvents.length, 0);
  });

  it("given an unknown id, get returns undefined", async (store) => {
    assert.is(await store.products.get(productId(randomUUID())), undefined);
  });

  it("given changes saved over several units of work, the state row equals fromHistory of the log", async (store) => {
    const product = await saved(store, newProduct());
    for (const change of [
      (p: Product) => p.rename("Walnut chair", NOW),
      (p: Product) => p.adjustStock(5, "delivery", NOW),
      (p: Product) => p.reserve(3, "order-1", NOW),
      (p: Product) => p.changePrice(money(4500, "EUR"), NOW),
    ]) {
      await store.unitOfWork.run(meta, async () => {
        const loaded = await store.products.get(product.id);
        if (loaded === undefined) throw new Error("lost the product");
        change(loaded);
        await store.products.save(loaded);
      });
    }
    const fromRow = await store.products.get(product.id);
    const history = await store.eventLog.history("product", product.id);
    const fromLog = Product.fromHistory(history as unknown as ProductEvent[]);
    assert.equal(fromLog.snapshot(), fromRow?.snapshot());
    assert.is(fromLog.version, 5);
    assert.is(fromRow?.version, 5);
  });

  it("given a product with a SKU, saving another with the same SKU raises ProductSkuTaken and stores nothing", async (store) => {
    const first = await saved(store, newProduct());
    const clash = newProduct(first.snapshot().sku);
    await rejects(() => saved(store, clash), ProductSkuTaken);
    assert.is(await store.products.get(clash.id), undefined);
    assert.equal(await store.eventLog.history("product", clash.id), []);
  });

  it("idOfSku finds the product holding a SKU", async (store) => {
    const product = await saved(store, newProduct());
    assert.is(await store.products.idOfSku(product.snapshot().sku), product.id);
    assert.is(await store.products.idOfSku("NO-SUCH-SKU"), undefined);
  });

  it("given two copies of one product, saving the stale one raises ConcurrencyConflict and keeps the first write", async (store) => {
    const product = await saved(store, newProduct());
    const a = await store.products.get(product.id);
    const b = await store.products.get(product.id);
    if (a === undefined || b === undefined) throw new Error("not found");
    a.rename("Winner", NOW);
    b.rename("Loser", NOW);
    await store.unitOfWork.run(meta, () => store.products.save(a));
    await rejects(() => store.unitOfWork.run(meta, () => store.products.save(b)), ConcurrencyConflict);
    const stored = await store.products.get(product.id);
    assert.is(stored?.snapshot().name, "Winner");
    assert.equal(
      (await store.eventLog.history("product", product.id)).map((e) => e.version),
      [1, 2],
    );
  });
});
