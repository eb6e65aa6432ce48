import type {
  OrderCriteria,
  OrderReadModel,
  OrderSortField,
  OrderView,
  Page,
} from "../../../ports/order/order-read-model.js";
import type { MemoryDatabase } from "../../memory/memory-database.js";
import { sortAndPage } from "../../memory/sort-and-page.js";
import { ordersTable } from "./orders-table.js";

const sortKey: Record<OrderSortField, (o: OrderView) => string | number> = {
  // ISO instants of one format sort as text in time order.
  placedAt: (o) => o.placedAt,
  total: (o) => o.totalMinor,
};

export class MemoryOrderReadModel implements OrderReadModel {
  constructor(private readonly db: MemoryDatabase) {}

  async get(id: string): Promise<OrderView | undefined> {
    const row = this.db.read(ordersTable, id);
    return row === undefined ? undefined : { ...row.value, version: row.version };
  }

  async list(criteria: OrderCriteria): Promise<Page<OrderView>> {
    const matching: OrderView[] = [];
    for (const { value, version } of this.db.rows(ordersTable)) {
      if (criteria.customerId !== undefined && value.customerId !== criteria.customerId) continue;
      if (criteria.status !== undefined && value.status !== criteria.status) continue;
      matching.push({ ...value, version });
    }
    return sortAndPage(matching, sortKey[criteria.sort.field], criteria);
  }
}
