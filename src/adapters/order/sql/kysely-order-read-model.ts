import { type Kysely, type Selectable, sql } from "kysely";
import type {
  OrderCriteria,
  OrderReadModel,
  OrderSortField,
  OrderView,
  Page,
} from "../../../ports/order/order-read-model.js";
import type { Database } from "../../persistence/kysely/database.js";
import { fetchPage } from "../../persistence/kysely/paged-query.js";
import type { OrdersTable } from "./order-tables.js";

/** Whitelisted sort expressions: no SQL is ever built from a client's string. */
const SORT_COLUMN = {
  placedAt: sql`placed_at`,
  total: sql`total_minor`,
} as const satisfies Record<OrderSortField, unknown>;

/** Query side; `db` is the read replica when one is configured. */
export class KyselyOrderReadModel implements OrderReadModel {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<OrderView | undefined> {
    const row = await this.db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : orderView(row);
  }

  async list(criteria: OrderCriteria): Promise<Page<OrderView>> {
    let filtered = this.db.selectFrom("orders");
    if (criteria.customerId !== undefined) filtered = filtered.where("customer_id", "=", criteria.customerId);
    if (criteria.status !== undefined) filtered = filtered.where("status", "=", criteria.status);
    return fetchPage(filtered, SORT_COLUMN[criteria.sort.field], criteria, orderView);
  }
}

function orderView(row: Selectable<OrdersTable>): OrderView {
  return { ...row.state, version: row.version };
}
