import { sql } from "kysely";
import { StockHistoryProjection } from "../../../application/product/stock-history-projection.js";
import type { Apply, ReadModelRebuild } from "../../../ports/read-model-rebuild.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import { KyselyStockMovements } from "./kysely-stock-movements.js";

/** Rebuilds product_stock_movements into a shadow table and renames it into place. */
export class StockHistoryRebuild implements ReadModelRebuild {
  readonly name = "product-stock-history";

  constructor(private readonly scope: TransactionScope) {}

  async start(): Promise<Apply> {
    const { db } = this.scope;
    await sql`drop table if exists product_stock_movements_rebuild`.execute(db);
    await sql`create table product_stock_movements_rebuild (like product_stock_movements including all)`.execute(
      db,
    );
    const projection = new StockHistoryProjection(
      new KyselyStockMovements(this.scope, "product_stock_movements_rebuild"),
    );
    return (event) => projection.apply(event);
  }

  /**
   * The exclusive lock makes the live subscriber wait; a write of it that was planned against the
   * old table fails after the swap and is redelivered, and the movement's event-id key makes that
   * second application harmless.
   */
  swap(catchUp: () => Promise<void>): Promise<void> {
    return this.scope.run({ correlationId: "replay", principal: "system:replay" }, async () => {
      const { trx } = this.scope.current();
      await sql`lock table product_stock_movements in access exclusive mode`.execute(trx);
      await catchUp();
      await sql`alter table product_stock_movements rename to product_stock_movements_old`.execute(trx);
      await sql`alter table product_stock_movements_rebuild rename to product_stock_movements`.execute(trx);
      await sql`drop table product_stock_movements_old`.execute(trx);
    });
  }
}
