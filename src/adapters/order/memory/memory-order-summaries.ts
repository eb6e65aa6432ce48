import type { OrderSummaries, OrderSummary } from "../../../ports/order/order-summaries.js";
import type { MemoryDatabase, TableDefinition } from "../../memory/memory-database.js";

interface Counted {
  readonly customerId: string;
  readonly orderCount: number;
  readonly lastOrder: { readonly id: string; readonly placedAt: string } | null;
}

interface Spent {
  readonly customerId: string;
  readonly currency: string;
  readonly amountMinor: number;
}

export class MemoryOrderSummaries implements OrderSummaries {
  private readonly summaries: TableDefinition<Counted>;
  private readonly spending: TableDefinition<Spent>;

  /** `prefix` names a separate copy (a replay's), as the SQL adapter's table names do. */
  constructor(
    private readonly db: MemoryDatabase,
    prefix = "order_customer",
  ) {
    this.summaries = { name: `${prefix}_summaries` };
    this.spending = { name: `${prefix}_spending` };
  }

  async recordPlaced(customerId: string, orderId: string, placedAt: string): Promise<void> {
    const row = this.db.read(this.summaries, customerId);
    const last = row?.value.lastOrder ?? null;
    const later =
      last === null || placedAt > last.placedAt || (placedAt === last.placedAt && orderId > last.id);
    const value: Counted = {
      customerId,
      orderCount: (row?.value.orderCount ?? 0) + 1,
      lastOrder: later ? { id: orderId, placedAt } : last,
    };
    this.change(this.summaries, customerId, value, (v) => v.customerId === customerId);
  }

  async addSpent(customerId: string, currency: string, amountMinor: number): Promise<void> {
    const id = `${customerId}/${currency}`;
    const row = this.db.read(this.spending, id);
    const value = { customerId, currency, amountMinor: (row?.value.amountMinor ?? 0) + amountMinor };
    this.change(this.spending, id, value, (v) => v.customerId === customerId && v.currency === currency);
  }

  /**
   * Writes a row expecting the committed version, not one staged earlier in the same unit of work (the
   * store keeps one staged write per row, checked against the version the last one expected): two
   * concurrent changes of one customer then conflict and are retried, and several in one unit of
   * work all count.
   */
  private change<T>(table: TableDefinition<T>, id: string, value: T, isRow: (value: T) => boolean): void {
    let committed = 0;
    for (const row of this.db.rows(table)) if (isRow(row.value)) committed = row.version;
    this.db.write(table, id, committed, { version: committed + 1, value }, []);
  }

  async get(customerId: string): Promise<OrderSummary | undefined> {
    const row = this.db.read(this.summaries, customerId);
    if (row === undefined) return undefined;
    const spent = [...this.db.rows(this.spending)]
      .filter(({ value }) => value.customerId === customerId)
      .map(({ value }) => ({ currency: value.currency, amountMinor: value.amountMinor }));
    const { orderCount, lastOrder } = row.value;
    return {
      customerId,
      orderCount,
      lastOrder,
      spent: spent.sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    };
  }
}
