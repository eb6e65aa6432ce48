import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { CommitStock } from "../../../src/application/product/commit-stock.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import { GetProduct } from "../../../src/application/product/get-product.js";
import { PRODUCT_RESERVE, PRODUCT_WRITE } from "../../../src/application/product/product-permissions.js";
import { ReleaseStock } from "../../../src/application/product/release-stock.js";
import { ReserveStock } from "../../../src/application/product/reserve-stock.js";
import { Forbidden, Unauthenticated } from "../../../src/application/shared/authorization.js";
import type { ExecutionContext, Principal } from "../../../src/application/shared/execution-context.js";
import type { Command, Query } from "../../../src/application/shared/message.js";
import type { MessageBus } from "../../../src/application/shared/message-bus.js";
import { NotFound } from "../../../src/application/shared/not-found.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { InsufficientStock, OrderLineAlreadyReserved } from "../../../src/domain/product/product-errors.js";
import { productId } from "../../../src/domain/product/product-id.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";

/**
 * The reservation commands as the order checkout sends them: through the real command bus
 * (authorization, unit of work) of a container built for each persistence driver.
 */

const checkout: ExecutionContext = {
  principal: { kind: "system", name: "order-checkout" },
  correlationId: "stock-reservations",
};

function as(principal: Principal): ExecutionContext {
  return { principal, correlationId: "stock-reservations" };
}

function user(...permissions: string[]): Principal {
  return { kind: "user", userId: randomUUID(), roles: ["admin"], permissions: new Set(permissions) };
}

function buses(store: Store) {
  return {
    commands: store.container.get<MessageBus<Command<unknown>>>(Tokens.CommandBus),
    queries: store.container.get<MessageBus<Query<unknown>>>(Tokens.QueryBus),
  };
}

/** A new product with `stock` on hand, created by the system, and the buses to change it. */
async function productWith(store: Store, stock: number) {
  const { commands, queries } = buses(store);
  const sku = `RS-${randomUUID().slice(0, 8)}`.toUpperCase();
  const { id } = await commands.dispatch(
    new CreateProduct(checkout, {
      name: "Reserved chair",
      sku,
      priceMinor: 1999,
      currency: "EUR",
      initialStock: stock,
    }),
  );
  const figures = async () => {
    const view = await queries.dispatch(new GetProduct(checkout, id));
    return { onHand: view.onHand, reserved: view.reserved, available: view.onHand - view.reserved };
  };
  const eventTypes = async () => (await store.eventLog.history("product", id)).map((e) => e.type);
  return { id, commands, figures, eventTypes };
}

await contract("stock reservations through the command bus", (it) => {
  it("given 10 on hand, when an order reserves two lines, then the product shows them reserved and the rest available", async (store) => {
    const { id, commands, figures } = await productWith(store, 10);
    const orderId = randomUUID();

    await commands.dispatch(new ReserveStock(checkout, { productId: id, orderId, line: 0, quantity: 3 }));
    const written = await commands.dispatch(
      new ReserveStock(checkout, { productId: id, orderId, line: 1, quantity: 2 }),
    );

    assert.equal(written, { id, version: 3 });
    assert.equal(await figures(), { onHand: 10, reserved: 5, available: 5 });
  });

  it("given a line reserved, when the same ReserveStock is sent again, then nothing more is reserved or recorded; another quantity is OrderLineAlreadyReserved", async (store) => {
    const { id, commands, figures, eventTypes } = await productWith(store, 10);
    const reserve = { productId: id, orderId: randomUUID(), line: 0, quantity: 4 };
    const first = await commands.dispatch(new ReserveStock(checkout, reserve));

    const again = await commands.dispatch(new ReserveStock(checkout, reserve));

    assert.equal(again, first);
    await rejects(
      () => commands.dispatch(new ReserveStock(checkout, { ...reserve, quantity: 5 })),
      OrderLineAlreadyReserved,
    );
    assert.equal(await figures(), { onHand: 10, reserved: 4, available: 6 });
    assert.equal(await eventTypes(), ["product.created", "product.stock_reserved"]);
  });

  it("given 3 available, when an order asks for 4, then InsufficientStock and nothing changes", async (store) => {
    const { id, commands, figures, eventTypes } = await productWith(store, 3);

    const error = await rejects(
      () =>
        commands.dispatch(
          new ReserveStock(checkout, { productId: id, orderId: randomUUID(), line: 0, quantity: 4 }),
        ),
      InsufficientStock,
    );

    assert.equal([error.available, error.requested], [3, 4]);
    assert.equal(await figures(), { onHand: 3, reserved: 0, available: 3 });
    assert.equal(await eventTypes(), ["product.created"]);
  });

  it("given two orders holding stock, when one is released twice, then its units come back once and the other's stay", async (store) => {
    const { id, commands, figures, eventTypes } = await productWith(store, 10);
    const [kept, released] = [randomUUID(), randomUUID()];
    await commands.dispatch(
      new ReserveStock(checkout, { productId: id, orderId: kept, line: 0, quantity: 2 }),
    );
    await commands.dispatch(
      new ReserveStock(checkout, { productId: id, orderId: released, line: 0, quantity: 3 }),
    );
    await commands.dispatch(
      new ReserveStock(checkout, { productId: id, orderId: released, line: 1, quantity: 1 }),
    );

    const first = await commands.dispatch(new ReleaseStock(checkout, { productId: id, orderId: released }));
    const second = await commands.dispatch(new ReleaseStock(checkout, { productId: id, orderId: released }));

    assert.equal(second, first);
    assert.equal(await figures(), { onHand: 10, reserved: 2, available: 8 });
    assert.equal((await eventTypes()).filter((t) => t === "product.reservation_released").length, 1);
  });

  it("given an order holding stock, when it is committed twice and then released, then its units leave stock on hand once and the release changes nothing", async (store) => {
    const { id, commands, figures, eventTypes } = await productWith(store, 10);
    const orderId = randomUUID();
    await commands.dispatch(new ReserveStock(checkout, { productId: id, orderId, line: 0, quantity: 4 }));

    await commands.dispatch(new CommitStock(checkout, { productId: id, orderId }));
    await commands.dispatch(new CommitStock(checkout, { productId: id, orderId }));
    await commands.dispatch(new ReleaseStock(checkout, { productId: id, orderId }));

    assert.equal(await figures(), { onHand: 6, reserved: 0, available: 6 });
    assert.equal(await eventTypes(), [
      "product.created",
      "product.stock_reserved",
      "product.reservation_committed",
    ]);
    const stored = await store.products.get(productId(id));
    assert.equal(stored?.reservationsOf(orderId), []);
  });

  it("given units reserved, when an admin adjusts stock below them, then InsufficientStock; down to them, it applies", async (store) => {
    const { id, commands, figures } = await productWith(store, 10);
    await commands.dispatch(
      new ReserveStock(checkout, { productId: id, orderId: randomUUID(), line: 0, quantity: 8 }),
    );
    const admin = as(user(PRODUCT_WRITE));

    await rejects(
      () => commands.dispatch(new AdjustStock(admin, { id, delta: -3, reason: "count" })),
      InsufficientStock,
    );
    await commands.dispatch(new AdjustStock(admin, { id, delta: -2, reason: "count" }));

    assert.equal(await figures(), { onHand: 8, reserved: 8, available: 0 });
  });

  it("when a reservation names an unknown product, or an order line that is not one, then NotFound or InvalidValue naming the field", async (store) => {
    const { id, commands } = await productWith(store, 10);
    const orderId = randomUUID();
    await rejects(
      () =>
        commands.dispatch(
          new ReserveStock(checkout, { productId: randomUUID(), orderId, line: 0, quantity: 1 }),
        ),
      NotFound,
    );
    await rejects(
      () => commands.dispatch(new ReleaseStock(checkout, { productId: randomUUID(), orderId })),
      NotFound,
    );
    await rejects(
      () => commands.dispatch(new CommitStock(checkout, { productId: randomUUID(), orderId })),
      NotFound,
    );
    const invalid = [
      [{ productId: "chair", orderId, line: 0, quantity: 1 }, "productId"],
      [{ productId: id, orderId: "order-1", line: 0, quantity: 1 }, "orderId"],
      [{ productId: id, orderId, line: -1, quantity: 1 }, "line"],
      [{ productId: id, orderId, line: 0, quantity: 0 }, "quantity"],
    ] as const;
    for (const [input, field] of invalid) {
      const error = await rejects(() => commands.dispatch(new ReserveStock(checkout, input)), InvalidValue);
      assert.is(error.field, field);
    }
    const release = await rejects(
      () => commands.dispatch(new ReleaseStock(checkout, { productId: id, orderId: "order-1" })),
      InvalidValue,
    );
    assert.is(release.field, "orderId");
  });

  it("given product:reserve held by the system only, when an anonymous caller or an admin with product:write sends any reservation command, then it is refused; a user granted product:reserve may", async (store) => {
    const { id, commands, figures } = await productWith(store, 10);
    const orderId = randomUUID();
    const messages = (context: ExecutionContext) => [
      new ReserveStock(context, { productId: id, orderId, line: 0, quantity: 1 }),
      new ReleaseStock(context, { productId: id, orderId }),
      new CommitStock(context, { productId: id, orderId }),
    ];

    for (const message of messages(as({ kind: "anonymous" }))) {
      await rejects(() => commands.dispatch(message), Unauthenticated);
    }
    for (const message of messages(as(user(PRODUCT_WRITE, "user:manage")))) {
      const error = await rejects(() => commands.dispatch(message), Forbidden);
      assert.is(error.permission, PRODUCT_RESERVE);
    }
    assert.equal(await figures(), { onHand: 10, reserved: 0, available: 10 });

    const [reserve] = messages(as(user(PRODUCT_RESERVE)));
    if (reserve === undefined) throw new Error("no reserve message");
    await commands.dispatch(reserve);
    assert.equal(await figures(), { onHand: 10, reserved: 1, available: 9 });
  });

  it("given the last 10 units, when 50 orders reserve one each at once, then exactly 10 are reserved and the other 40 are InsufficientStock", async (store) => {
    const { id, commands, figures, eventTypes } = await productWith(store, 30);
    await commands.dispatch(
      new ReserveStock(checkout, { productId: id, orderId: randomUUID(), line: 0, quantity: 20 }),
    );

    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        commands.dispatch(
          new ReserveStock(checkout, { productId: id, orderId: randomUUID(), line: 0, quantity: 1 }),
        ),
      ),
    );

    const refusals = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    for (const reason of refusals) assert.instance(reason, InsufficientStock, String(reason));
    assert.is(outcomes.length - refusals.length, 10);
    assert.is(refusals.length, 40);
    assert.equal(await figures(), { onHand: 30, reserved: 30, available: 0 });
    assert.is((await eventTypes()).filter((t) => t === "product.stock_reserved").length, 11);
    assert.is((await store.products.get(productId(id)))?.snapshot().reservations.length, 11);
  });

  it("given plenty of stock, when 30 orders reserve at once while their first ones are released and an admin delivers, then every command applies and the figures add up", async (store) => {
    const { id, commands, figures } = await productWith(store, 1000);
    const early = Array.from({ length: 5 }, () => randomUUID());
    for (const orderId of early) {
      await commands.dispatch(new ReserveStock(checkout, { productId: id, orderId, line: 0, quantity: 2 }));
    }
    const admin = as(user(PRODUCT_WRITE));

    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) =>
        commands.dispatch(
          new ReserveStock(checkout, { productId: id, orderId: randomUUID(), line: i % 3, quantity: 3 }),
        ),
      ),
      ...early.map((orderId) => commands.dispatch(new ReleaseStock(checkout, { productId: id, orderId }))),
      commands.dispatch(new AdjustStock(admin, { id, delta: 50, reason: "delivery" })),
    ]);

    assert.equal(await figures(), { onHand: 1050, reserved: 90, available: 960 });
  });
});
