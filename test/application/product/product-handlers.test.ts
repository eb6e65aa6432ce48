import * as assert from "uvu/assert";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { ChangePrice } from "../../../src/application/product/change-price.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import { GetProduct } from "../../../src/application/product/get-product.js";
import { ListProducts } from "../../../src/application/product/list-products.js";
import { RenameProduct } from "../../../src/application/product/rename-product.js";
import { NotFound } from "../../../src/application/shared/not-found.js";
import { Product } from "../../../src/domain/product/product.js";
import { InsufficientStock, ProductSkuTaken } from "../../../src/domain/product/product-errors.js";
import type { ProductEvent } from "../../../src/domain/product/product-events.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { ctx, productHarness } from "../../support/product-harness.js";
import { rejects } from "../../support/rejects.js";
import { test } from "../../support/uvu.js";

const widget = { name: "Widget", sku: "WID-1", priceMinor: 1999, currency: "EUR", initialStock: 10 };

test("given no product, when CreateProduct, then it can be read back at version 1", async () => {
  const { commands, queries } = productHarness();
  const { id, version } = await commands.dispatch(new CreateProduct(ctx, widget));
  assert.is(version, 1);
  const view = await queries.dispatch(new GetProduct(ctx, id));
  assert.equal(
    { name: view.name, sku: view.sku, price: view.priceMinor, currency: view.currency, onHand: view.onHand },
    { name: "Widget", sku: "WID-1", price: 1999, currency: "EUR", onHand: 10 },
  );
});

test("given a product with SKU WID-1, when another is created with sku wid-1, then ProductSkuTaken", async () => {
  const { commands } = productHarness();
  await commands.dispatch(new CreateProduct(ctx, widget));
  await rejects(
    () => commands.dispatch(new CreateProduct(ctx, { ...widget, sku: "wid-1" })),
    ProductSkuTaken,
  );
});

test("when two products with the same SKU are created concurrently, then exactly one is stored", async () => {
  const { commands, queries } = productHarness();
  const outcomes = await Promise.allSettled([
    commands.dispatch(new CreateProduct(ctx, widget)),
    commands.dispatch(new CreateProduct(ctx, widget)),
  ]);
  assert.is(outcomes.filter((o) => o.status === "fulfilled").length, 1);
  const rejected = outcomes.find((o) => o.status === "rejected");
  assert.instance(rejected?.reason, ProductSkuTaken);
  const page = await queries.dispatch(
    new ListProducts(ctx, { sort: { field: "name", direction: "asc" }, page: 1, pageSize: 10 }),
  );
  assert.is(page.total, 1);
});

test("given a product, when renamed, repriced and restocked, then the read side and the event log agree", async () => {
  const { commands, queries, eventLog } = productHarness();
  const { id } = await commands.dispatch(new CreateProduct(ctx, widget));
  await commands.dispatch(new RenameProduct(ctx, { id, name: "Gadget" }));
  await commands.dispatch(new ChangePrice(ctx, { id, priceMinor: 2500, currency: "USD" }));
  const written = await commands.dispatch(new AdjustStock(ctx, { id, delta: -4, reason: "damaged" }));
  assert.is(written.version, 4);

  const view = await queries.dispatch(new GetProduct(ctx, id));
  assert.equal(
    [view.name, view.priceMinor, view.currency, view.onHand, view.version],
    ["Gadget", 2500, "USD", 6, 4],
  );

  const history = await eventLog.history("product", id);
  assert.equal(
    history.map((e) => e.type),
    ["product.created", "product.renamed", "product.price_changed", "product.stock_adjusted"],
  );
  assert.is(history[0]?.metadata.correlationId, "test-correlation");
  assert.is(history[0]?.metadata.principal, "anonymous");
  const rebuilt = Product.fromHistory(history as unknown as ProductEvent[]);
  assert.is(rebuilt.snapshot().onHand, view.onHand);
  assert.is(rebuilt.version, view.version);
});

test("given 10 on hand, when stock is adjusted by -11, then InsufficientStock and nothing changes", async () => {
  const { commands, queries, eventLog } = productHarness();
  const { id } = await commands.dispatch(new CreateProduct(ctx, widget));
  await rejects(
    () => commands.dispatch(new AdjustStock(ctx, { id, delta: -11, reason: "loss" })),
    InsufficientStock,
  );
  assert.is((await queries.dispatch(new GetProduct(ctx, id))).onHand, 10);
  assert.is((await eventLog.history("product", id)).length, 1);
});

test("when a command targets an unknown product, then NotFound", async () => {
  const { commands, queries } = productHarness();
  const missing = "7d1f0000-0000-4000-8000-000000000000";
  await rejects(() => commands.dispatch(new RenameProduct(ctx, { id: missing, name: "X" })), NotFound);
  await rejects(() => queries.dispatch(new GetProduct(ctx, missing)), NotFound);
});

test("when a command fails halfway, then neither state nor events of the unit of work are kept", async () => {
  const { commands, queries, eventLog, db } = productHarness();
  const { id } = await commands.dispatch(new CreateProduct(ctx, widget));
  // A handler that saves a change and then breaks: the unit of work must roll the save back.
  await rejects(
    () =>
      db.transaction({ correlationId: "c", principal: "system" }, async () => {
        await commands.dispatch(new RenameProduct(ctx, { id, name: "Half done" }));
        throw new Error("boom");
      }),
    Error,
  );
  assert.is((await queries.dispatch(new GetProduct(ctx, id))).name, "Widget");
  assert.is((await eventLog.history("product", id)).length, 1);
});

test("when two commands change the same product concurrently, then both apply (the loser retries)", async () => {
  const { commands, queries } = productHarness();
  const { id } = await commands.dispatch(new CreateProduct(ctx, widget));
  await Promise.all([
    commands.dispatch(new AdjustStock(ctx, { id, delta: 5, reason: "delivery A" })),
    commands.dispatch(new AdjustStock(ctx, { id, delta: 7, reason: "delivery B" })),
  ]);
  const view = await queries.dispatch(new GetProduct(ctx, id));
  assert.is(view.onHand, 22);
  assert.is(view.version, 3);
});

test("given products, when listed with a name filter, price range, sort and paging, then items and total match", async () => {
  const { commands, queries, clock } = productHarness();
  for (const [name, priceMinor] of [
    ["Red chair", 5000],
    ["Blue chair", 3000],
    ["Green table", 9000],
    ["Red table", 12000],
  ] as const) {
    clock.advance(1000);
    await commands.dispatch(
      new CreateProduct(ctx, { ...widget, name, priceMinor, sku: name.replace(" ", "-") }),
    );
  }
  const chairs = await queries.dispatch(
    new ListProducts(ctx, {
      nameContains: "CHAIR",
      sort: { field: "price", direction: "desc" },
      page: 1,
      pageSize: 10,
    }),
  );
  assert.equal(
    chairs.items.map((p) => p.name),
    ["Red chair", "Blue chair"],
  );
  assert.is(chairs.total, 2);

  const midPriced = await queries.dispatch(
    new ListProducts(ctx, {
      minPriceMinor: 4000,
      maxPriceMinor: 10000,
      sort: { field: "name", direction: "asc" },
      page: 1,
      pageSize: 10,
    }),
  );
  assert.equal(
    midPriced.items.map((p) => p.name),
    ["Green table", "Red chair"],
  );

  const secondPage = await queries.dispatch(
    new ListProducts(ctx, { sort: { field: "createdAt", direction: "asc" }, page: 2, pageSize: 3 }),
  );
  assert.equal(
    secondPage.items.map((p) => p.name),
    ["Red table"],
  );
  assert.is(secondPage.total, 4);
});

test("when listing with a page size over the bound or an inverted price range, then InvalidValue", async () => {
  const { queries } = productHarness();
  const sort = { field: "name", direction: "asc" } as const;
  await rejects(
    () => queries.dispatch(new ListProducts(ctx, { sort, page: 1, pageSize: 101 })),
    InvalidValue,
  );
  await rejects(
    () =>
      queries.dispatch(
        new ListProducts(ctx, { sort, page: 1, pageSize: 10, minPriceMinor: 5, maxPriceMinor: 4 }),
      ),
    InvalidValue,
  );
});

test("when listing page 0, a fractional page or a page size of 0, then InvalidValue naming page or pageSize", async () => {
  const { queries } = productHarness();
  const sort = { field: "name", direction: "asc" } as const;
  const refused = async (page: number, pageSize: number) =>
    (await rejects(() => queries.dispatch(new ListProducts(ctx, { sort, page, pageSize })), InvalidValue))
      .field;

  assert.is(await refused(0, 10), "page");
  assert.is(await refused(1.5, 10), "page");
  assert.is(await refused(1, 0), "pageSize");
  assert.is(await refused(1, 2.5), "pageSize");
  const first = await queries.dispatch(new ListProducts(ctx, { sort, page: 1, pageSize: 100 }));
  assert.is(first.total, 0, "page 1 of up to 100 is a valid request");
});

test.run();
