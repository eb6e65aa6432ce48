import type { OrderState } from "../../../domain/order/order-state.js";
import type { TableDefinition } from "../../memory/memory-database.js";

/**
 * Order state rows, shared by the memory repository and read model. Named for the aggregate type,
 * since the memory store logs a row's events under its table's name. The CHECK constraints of the
 * SQL schema (migration 2026-11-30T1000-orders) hold here too.
 */
export const ordersTable: TableDefinition<OrderState> = {
  name: "order",
  checks: { orders_total_minor_check: (row) => row.totalMinor >= 0 },
};
