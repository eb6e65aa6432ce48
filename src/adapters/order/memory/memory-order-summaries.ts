import type { OrderSummaries, OrderSummary } from "../../../ports/order/order-summaries.js";
import type { MemoryDatabase, TableDefinition } from "../../memory/memory-database.js";

interface Counted {
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
      orderCount: (row?.value.orderCount ?? 0) + 1,
      lastOrder: later ? { id: orderId, placedAt } : last,
    };
    // The version check makes two concurrent changes of one customer a conflict, retried, never lost.
    const version = row?.version ?? 0;
    this.db.write(this.summaries, customerId, version, { version: version + 1, value }, []);
  }

  async addSpent(customerId: string, currency: string, amountMinor: number): Promise<void> {
    const id = `${customerId}/${currency}`;
    const row = this.db.read(this.spending, id);
    const version = row?.version ?? 0;
    const value = { customerId, currency, amountMinor: (row?.value.amountMinor ?? 0) + amountMinor };
    this.db.write(this.spending, id, version, { version: version + 1, value }, []);
  }

  async get(customerId: string): Promise<OrderSummary | undefined> {
    const row = this.db.read(this.summaries, customerId);
    if (row === undefined) return undefined;
    const spent = [...this.db.rows(this.spending)]
      .filter(({ value }) => value.customerId === customerId)
      .map(({ value }) => ({ currency: value.currency, amountMinor: value.amountMinor }));
    return { customerId, ...row.value, spent: spent.sort((a, b) => (a.currency < b.currency ? -1 : 1)) };
  }
}
