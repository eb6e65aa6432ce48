import type { StockMovement, StockMovements } from "../../../ports/product/stock-movements.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";

type MovementsTable = "product_stock_movements" | "product_stock_movements_rebuild";

export class KyselyStockMovements implements StockMovements {
  constructor(
    private readonly scope: TransactionScope,
    private readonly table: MovementsTable = "product_stock_movements",
  ) {}

  async record(movement: StockMovement): Promise<void> {
    await this.scope
      .current()
      .trx.insertInto(this.table)
      .values({
        event_id: movement.eventId,
        product_id: movement.productId,
        version: movement.version,
        kind: movement.kind,
        quantity: movement.quantity,
        note: movement.note,
        occurred_at: new Date(movement.occurredAt),
      })
      .onConflict((oc) => oc.column("event_id").doNothing())
      .execute();
  }

  async history(productId: string): Promise<StockMovement[]> {
    const rows = await this.scope
      .reader()
      .selectFrom(this.table)
      .selectAll()
      .where("product_id", "=", productId)
      .orderBy("version")
      .execute();
    return rows.map((row) => ({
      eventId: row.event_id,
      productId: row.product_id,
      version: row.version,
      kind: row.kind as StockMovement["kind"],
      quantity: row.quantity,
      note: row.note,
      occurredAt: row.occurred_at.toISOString(),
    }));
  }
}
