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
const ORDER = "5f0c9a52-7d0b-4f7e-8a8e-2b1f3c4d5e6f";

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
      (p: Product) => p.reserveStock({ orderId: ORDER, line: 0 }, 3, NOW),
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

  it("given reservations reserved, released and committed, the stored lines and figures equal fromHistory of the log, by get and by getForUpdate", async (store) => {
    const product = await saved(store, newProduct());
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    for (const change of [
      (p: Product) => p.reserveStock({ orderId: b, line: 1 }, 2, NOW),
      (p: Product) => {
        p.reserveStock({ orderId: a, line: 0 }, 1, NOW);
        p.reserveStock({ orderId: b, line: 0 }, 3, NOW);
      },
      (p: Product) => p.reserveStock({ orderId: c, line: 0 }, 2, NOW),
      (p: Product) => p.commitReservation(b, NOW),
      (p: Product) => p.releaseReservation(a, NOW),
      (p: Product) => p.reserveStock({ orderId: a, line: 4 }, 1, NOW),
    ]) {
      await store.unitOfWork.run(meta, async () => {
        const loaded = await store.products.getForUpdate(product.id);
        if (loaded === undefined) throw new Error("lost the product");
        change(loaded);
        await store.products.save(loaded);
      });
    }
    const history = await store.eventLog.history("product", product.id);
    const fromLog = Product.fromHistory(history as unknown as ProductEvent[]);
    const fromRow = await store.products.get(product.id);
    const locked = await store.unitOfWork.run(meta, () => store.products.getForUpdate(product.id));
    assert.equal(fromRow?.snapshot(), fromLog.snapshot());
    assert.equal(locked?.snapshot(), fromLog.snapshot());
    assert.equal(
      fromLog.snapshot().reservations.map((r) => [r.orderId, r.line, r.quantity]),
      [
        [a, 4, 1],
        [c, 0, 2],
      ].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
    );
    assert.equal([fromLog.snapshot().onHand, fromLog.snapshot().reserved, fromLog.version], [5, 3, 8]);
    const view = await store.productViews.get(product.id);
    assert.equal([view?.onHand, view?.reserved], [5, 3]);
  });

  it("given an unknown id, getForUpdate returns undefined", async (store) => {
    const found = await store.unitOfWork.run(meta, () =>
      store.products.getForUpdate(productId(randomUUID())),
    );
    assert.is(found, undefined);
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
