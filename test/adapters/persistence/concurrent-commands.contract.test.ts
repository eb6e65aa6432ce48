import * as assert from "uvu/assert";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import type { Command } from "../../../src/application/shared/message.js";
import type { MessageBus } from "../../../src/application/shared/message-bus.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { ConcurrencyConflict } from "../../../src/ports/unit-of-work.js";
import { contract } from "../../support/contract.js";

const ctx = { principal: { kind: "system", name: "test" } as const, correlationId: "concurrency" };

await contract("concurrent commands on one product", (it) => {
  it("given 8 concurrent stock adjustments, every one that succeeds is counted once and none is lost", async (store) => {
    const commands = store.container.get<MessageBus<Command<unknown>>>(Tokens.CommandBus);
    const sku = `CC-${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
    const { id } = await commands.dispatch(
      new CreateProduct(ctx, { name: "Contended", sku, priceMinor: 1, currency: "EUR", initialStock: 100 }),
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        commands.dispatch(new AdjustStock(ctx, { id, delta: 1, reason: `delivery ${i}` })),
      ),
    );
    const succeeded = outcomes.filter((o) => o.status === "fulfilled").length;
    for (const o of outcomes) {
      if (o.status === "rejected") assert.instance(o.reason, ConcurrencyConflict, "only conflicts may fail");
    }
    assert.ok(succeeded >= 1);
    const view = await store.productViews.get(id);
    assert.is(view?.onHand, 100 + succeeded, "no lost update");
    assert.is(view?.version, 1 + succeeded);
    const adjustments = (await store.eventLog.history("product", id)).filter(
      (e) => e.type === "product.stock_adjusted",
    );
    assert.is(adjustments.length, succeeded, "one event per applied command");
  });
});
