import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { Product } from "../../../../src/domain/product/product.js";
import { money } from "../../../../src/domain/shared/money.js";
import { openStore, type Store } from "../../../support/persistence.js";
import { createTestSchema, postgresDecision, type TestSchema } from "../../../support/postgres.js";
import { suite } from "../../../support/uvu.js";

const decision = await postgresDecision();
const replica = suite<{ store?: Store; readSchema?: TestSchema; readSide?: Store }>(
  "DATABASE__READ_URL [postgres]",
);

if (decision.run) {
  replica.before(async (context) => {
    // A second schema stands in for the replica: migrated, but never written by this store.
    context.readSchema = await createTestSchema();
    context.readSide = await openStore("postgres", { DATABASE__URL: context.readSchema.url });
    context.store = await openStore("postgres", { DATABASE__READ_URL: context.readSchema.url });
  });
  replica.after(async (context) => {
    await context.store?.close();
    await context.readSide?.close();
    await context.readSchema?.drop();
  });
}

const spec = async (context: { store?: Store }) => {
  const store = context.store;
  if (store === undefined) throw new Error("no store");
  const product = Product.create(
    { id: randomUUID(), name: "Replicated", sku: "REP-1", price: money(1, "EUR"), initialStock: 1 },
    new Date(),
  );
  await store.unitOfWork.run({ correlationId: "r", principal: "system:test" }, () =>
    store.products.save(product),
  );

  // The write side sees it; the query side reads the replica, where it has not arrived.
  assert.ok(await store.products.get(product.id));
  assert.is(await store.productViews.get(product.id), undefined);
};

if (decision.run)
  replica("with a read URL set, the query side reads from it and the write side from DATABASE__URL", spec);
else replica.skip(`read replica routing (${decision.reason})`, spec);

replica.run();
