import { type Kysely, sql } from "kysely";
import * as assert from "uvu/assert";
import type { Database } from "../../../src/adapters/persistence/kysely/database.js";
import { idempotent } from "../../../src/application/messaging/idempotent-subscriber.js";
import { replay } from "../../../src/application/messaging/replay.js";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import { StockHistoryProjection } from "../../../src/application/product/stock-history-projection.js";
import type { Command } from "../../../src/application/shared/message.js";
import type { MessageBus } from "../../../src/application/shared/message-bus.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { LOG_START } from "../../../src/ports/event-log.js";
import { Inbox } from "../../../src/ports/inbox.js";
import { StockMovements } from "../../../src/ports/product/stock-movements.js";
import { type ReadModelRebuild, ReadModelRebuilds } from "../../../src/ports/read-model-rebuild.js";
import { eventually } from "../../support/eventually.js";
import { openStore, type Store } from "../../support/persistence.js";
import { postgresDecision } from "../../support/postgres.js";
import { suite } from "../../support/uvu.js";

const ctx = { principal: { kind: "system", name: "test" } as const, correlationId: "replay-test" };

for (const driver of ["pglite", "postgres"] as const) {
  const decision = driver === "postgres" ? await postgresDecision() : ({ run: true } as const);
  const replays = suite<{ store?: Store }>(`replay stock history [${driver}]`);
  if (decision.run) {
    replays.before(async (context) => {
      context.store = await openStore(driver);
    });
    replays.after(async (context) => {
      await context.store?.close();
    });
  }

  const spec = async (context: { store?: Store }) => {
    const store = context.store;
    if (store === undefined) throw new Error("no store");
    const commands = store.container.get<MessageBus<Command<unknown>>>(Tokens.CommandBus);
    const movements = store.container.get<StockMovements>(StockMovements);
    const ids: string[] = [];
    for (let p = 0; p < 3; p++) {
      const { id } = await commands.dispatch(
        new CreateProduct(ctx, {
          name: `Replayed ${p}`,
          sku: `RP-${p}`,
          priceMinor: 1,
          currency: "EUR",
          initialStock: 50,
        }),
      );
      ids.push(id);
      for (let i = 0; i < 4; i++)
        await commands.dispatch(new AdjustStock(ctx, { id, delta: i - 2 || 1, reason: `r${i}` }));
    }
    // Given the live projection, fed by its subscriber,
    const live = idempotent(
      new StockHistoryProjection(movements),
      store.unitOfWork,
      store.container.get<Inbox>(Inbox),
    );
    // The log shows a transaction's events once every older transaction on the server has ended
    // (commit-safe order): under load from other suites that can lag the commit by a moment.
    const logged = await eventually(
      "all 15 events readable in the log",
      () => store.eventLog.readAfter(LOG_START, 1000),
      (events) => events.length === 15,
      15_000,
    );
    for (const event of logged) await live.handle(event, { attempt: 1 });
    const before = await Promise.all(ids.map((id) => movements.history(id)));
    assert.equal(
      before.map((h) => h.length),
      [5, 5, 5],
    );

    // and a live table that has drifted (a row lost),
    const db = store.container.get<Kysely<Database>>(Tokens.Database);
    await sql`delete from product_stock_movements where version = 3`.execute(db);

    // when it is replayed from position zero, twice,
    const rebuild = store.container
      .getAll<ReadModelRebuild>(ReadModelRebuilds)
      .find((r) => r.name === "product-stock-history");
    if (rebuild === undefined) throw new Error("no rebuild registered");
    const progress: number[] = [];
    for (let round = 0; round < 2; round++) {
      const applied = await replay(rebuild, store.eventLog, store.unitOfWork, (p) =>
        progress.push(p.applied),
      );
      assert.is(applied, 15);
    }

    // then it equals what the live subscriber had built, and progress was reported.
    const after = await Promise.all(ids.map((id) => movements.history(id)));
    assert.equal(after, before);
    assert.ok(progress.includes(15));
  };

  const title = "a rebuilt read model equals the live one, and replaying twice changes nothing";
  if (decision.run) replays(title, spec);
  else replays.skip(`${title} (${decision.reason})`, spec);
  replays.run();
}
