import type { ColumnType } from "kysely";
import type { OrderState } from "../../../domain/order/order-state.js";
import type { Int8 } from "../../persistence/kysely/database.js";

declare module "../../persistence/kysely/database.js" {
  interface Database {
    orders: OrdersTable;
    order_customer_summaries: OrderCustomerSummariesTable;
    order_customer_spending: OrderCustomerSpendingTable;
    /** The shadows a replay fills before swapping them in for the two above. */
    order_customer_summaries_rebuild: OrderCustomerSummariesTable;
    order_customer_spending_rebuild: OrderCustomerSpendingTable;
  }
}

/**
 * One row per order: the whole state as JSON (what loading needs), and beside it the columns the
 * listings filter and sort on, kept in step with it on every save.
 */
export interface OrdersTable {
  id: string;
  customer_id: string;
  status: string;
  currency: string;
  total_minor: Int8;
  placed_at: ColumnType<Date, Date, Date>;
  updated_at: ColumnType<Date, Date, Date>;
  version: number;
  /** pg parses jsonb on read; it is written as JSON text. */
  state: ColumnType<OrderState, string, string>;
}

export interface OrderCustomerSummariesTable {
  customer_id: string;
  order_count: number;
  last_order_id: string | null;
  last_order_at: ColumnType<Date | null, Date | null, Date | null>;
}

export interface OrderCustomerSpendingTable {
  customer_id: string;
  currency: string;
  amount_minor: Int8;
}
