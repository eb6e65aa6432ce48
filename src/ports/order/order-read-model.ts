import type { OrderState } from "../../domain/order/order-state.js";
import type { OrderStatus } from "../../domain/order/order-status.js";
import type { Page } from "../page.js";
import { token } from "../token.js";

/** An order as the query side shows it: its state and the version it is at. */
export interface OrderView extends OrderState {
  readonly version: number;
}

export const ORDER_SORT_FIELDS = ["placedAt", "total"] as const;
export type OrderSortField = (typeof ORDER_SORT_FIELDS)[number];

export interface OrderCriteria {
  /** One customer's orders; every customer's when absent. */
  readonly customerId?: string;
  readonly status?: OrderStatus;
  /** `total` compares minor units without converting currencies. */
  readonly sort: { readonly field: OrderSortField; readonly direction: "asc" | "desc" };
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export type { Page } from "../page.js";

/** Query side for orders. Ties in the sort are broken by id, so pages are stable. */
export interface OrderReadModel {
  get(id: string): Promise<OrderView | undefined>;
  list(criteria: OrderCriteria): Promise<Page<OrderView>>;
}
export const OrderReadModel = token<OrderReadModel>("OrderReadModel");
