import * as assert from "uvu/assert";
import { MemoryProductRepository } from "../../../src/adapters/product/memory/memory-product-repository.js";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { ChangePrice } from "../../../src/application/product/change-price.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import { GetProduct } from "../../../src/application/product/get-product.js";
import { RenameProduct } from "../../../src/application/product/rename-product.js";
import { VersionMismatch } from "../../../src/application/shared/expected-version.js";
import { NotFound } from "../../../src/application/shared/not-found.js";
import type { Product } from "../../../src/domain/product/product.js";
import type { ProductId } from "../../../src/domain/product/product-id.js";
import { ctx, productHarness } from "../../support/product-harness.js";
import { rejects } from "../../support/rejects.js";
import { test } from "../../support/uvu.js";

const widget = { name: "Widget", sku: "WID-1", priceMinor: 1999, currency: "EUR", initialStock: 10 };

/** The memory repository, counting loads, and able to hand out one aggregate read earlier. */
class ObservedRepository extends MemoryProductRepository {
  loads = 0;
  staleOnce: Product | undefined;

  override async get(id: ProductId): Promise<Product | undefined> {
    this.loads++;
    const stale = this.staleOnce;
    this.staleOnce = undefined;
    return stale ?? super.get(id);
  }
}

function harness() {
  let repository: ObservedRepository | undefined;
  const h = productHarness({
    repository: (db) => {
      repository = new ObservedRepository(db);
      return repository;
    },
  });
  if (repository === undefined) throw new Error("the harness did not build its repository");
  return { ...h, repository };
}

test("given a product at version 2, when renamed expecting version 2, then it is renamed at version 3", async () => {
  const { commands, queries } = harness();
  const { id } = await commands.dispatch(new CreateProduct(ctx, widget));
  await commands.dispatch(new RenameProduct(ctx, { id, name: "Gadget" }));

  const written = await commands.dispatch(
    new RenameProduct(ctx, { id, name: "Gizmo", expectedVersions: [2] }),
  );

  assert.equal(written, { id, version: 3 });
  assert.is((await queries.dispatch(new GetProduct(ctx, id))).name, "Gizmo");
});

test("given a product at version 2, when renamed expecting version 1, then VersionMismatch at once and nothing is written", async () => {
  const { commands, queries, eventLog, repository } = harness();
  const { id } = await commands.dispatch(new CreateProduct(ctx, widget));
  await commands.dispatch(new RenameProduct(ctx, { id, name: "Gadget" }));
  repository.loads = 0;

  const error = await rejects(
    () => commands.dispatch(new RenameProduct(ctx, { id, name: "Gizmo", expectedVersions: [1] })),
    VersionMismatch,
  );

  assert.is(error.code, "PRECONDITION_FAILED");
  assert.is(error.currentVersion, 2);
  assert.match(error.message, /version 2/);
  assert.is(repository.loads, 1, "a version mismatch is final: the unit of work must not retry it");
  assert.is((await queries.dispatch(new GetProduct(ctx, id))).name, "Gadget");
  assert.is((await eventLog.history("product", id)).length, 2);
});

test("given a write expecting version 1, when another writer commits between its load and its save, then VersionMismatch instead of a retry onto the newer state", async () => {
  const { commands, queries, repository } = harness();
  const { id } = await commands.dispatch(new CreateProduct(ctx, widget));
  const readBeforeTheRename = await repository.get(id as ProductId);
  await commands.dispatch(new RenameProduct(ctx, { id, name: "Renamed meanwhile" }));
  // The conditional write's first load sees the product as it was before the competing rename.
  repository.staleOnce = readBeforeTheRename;
  repository.loads = 0;

  await rejects(
    () =>
      commands.dispatch(new ChangePrice(ctx, { id, priceMinor: 1, currency: "EUR", expectedVersions: [1] })),
    VersionMismatch,
  );

  assert.is(repository.loads, 2, "the save conflicts, the retry loads version 2, and the check refuses it");
  const view = await queries.dispatch(new GetProduct(ctx, id));
  assert.equal([view.name, view.priceMinor, view.version], ["Renamed meanwhile", 1999, 2]);
});

test("given a product at version 1, when a write expects any of several versions including 1, then it applies", async () => {
  const { commands } = harness();
  const { id } = await commands.dispatch(new CreateProduct(ctx, widget));
  const written = await commands.dispatch(
    new AdjustStock(ctx, { id, delta: 1, reason: "count", expectedVersions: [7, 1] }),
  );
  assert.is(written.version, 2);
});

test("given a product, when a write expects no version at all (an empty list), then VersionMismatch", async () => {
  const { commands } = harness();
  const { id } = await commands.dispatch(new CreateProduct(ctx, widget));
  await rejects(
    () => commands.dispatch(new AdjustStock(ctx, { id, delta: 1, reason: "count", expectedVersions: [] })),
    VersionMismatch,
  );
});

test("given no product, when a conditional write targets it, then NotFound rather than a version mismatch", async () => {
  const { commands } = harness();
  await rejects(
    () =>
      commands.dispatch(
        new RenameProduct(ctx, {
          id: "7d1f0000-0000-4000-8000-000000000000",
          name: "X",
          expectedVersions: [1],
        }),
      ),
    NotFound,
  );
});

test.run();
