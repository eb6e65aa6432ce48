import type { StockMovement, StockMovements } from "../../../ports/product/stock-movements.js";
import type { MemoryDatabase, TableDefinition } from "../../memory/memory-database.js";

const movementsTable: TableDefinition<StockMovement> = { name: "product_stock_movements" };

export class MemoryStockMovements implements StockMovements {
  constructor(private readonly db: MemoryDatabase) {}

  async record(movement: StockMovement): Promise<void> {
    if (this.db.read(movementsTable, movement.eventId) !== undefined) return;
    this.db.write(movementsTable, movement.eventId, 0, { version: 1, value: movement }, []);
  }

  async history(productId: string): Promise<StockMovement[]> {
    return [...this.db.rows(movementsTable)]
      .map((row) => row.value)
      .filter((m) => m.productId === productId)
      .sort((a, b) => a.version - b.version);
  }
}
