import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { Product } from "../../../src/domain/product/product.js";
import { money } from "../../../src/domain/shared/money.js";
import { contract } from "../../support/contract.js";
import { rejects } from "../../support/rejects.js";

const meta = { correlationId: "uow-contract", causationId: "cause-1", principal: "system:test" };
const NOW = new Date("2026-03-01T12:00:00.000Z");

function newProduct(): Product {
  const sku = `UOW-${randomUUID().slice(0, 8)}`.toUpperCase();
  return Product.create(
    { id: randomUUID(), name: "Unit", sku, price: money(100, "EUR"), initialStock: 1 },
    NOW,
  );
}

await contract("UnitOfWork", (it) => {
  it("given work that saves and then fails, neither the state row nor the events are kept", async (store) => {
    const product = newProduct();
    await rejects(
      () =>
        store.unitOfWork.run(meta, async () => {
          await store.products.save(product);
          throw new Error("the command failed after saving");
        }),
      Error,
    );
    assert.is(await store.products.get(product.id), undefined);
    assert.equal(await store.eventLog.history("product", product.id), []);
  });

  it("given work that saves two aggregates, both commit together with their events and the metadata", async (store) => {
    const [a, b] = [newProduct(), newProduct()];
    await store.unitOfWork.run(meta, async () => {
      await store.products.save(a);
      await store.products.save(b);
    });
    for (const p of [a, b]) {
      const [event] = await store.eventLog.history("product", p.id);
      assert.is(event?.type, "product.created");
      assert.equal(event?.metadata, meta);
    }
  });

  it("inside the work, a repository reads what the same unit of work wrote", async (store) => {
    const product = newProduct();
    await store.unitOfWork.run(meta, async () => {
      await store.products.save(product);
      const seen = await store.products.get(product.id);
      assert.is(seen?.version, 1);
    });
  });

  it("a nested unit of work joins the outer one: the outer failure rolls both back", async (store) => {
    const product = newProduct();
    await rejects(
      () =>
        store.unitOfWork.run(meta, async () => {
          await store.unitOfWork.run(meta, () => store.products.save(product));
          throw new Error("outer fails");
        }),
      Error,
    );
    assert.is(await store.products.get(product.id), undefined);
  });
});
