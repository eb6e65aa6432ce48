import type { OrderStatus } from "../../domain/order/order-status.js";
import { InvalidValue } from "../../domain/shared/domain-error.js";
import type {
  OrderCriteria,
  OrderReadModel,
  OrderSortField,
  OrderView,
  Page,
} from "../../ports/order/order-read-model.js";
import { Forbidden } from "../shared/authorization.js";
import { actingUserId, type ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import { customerOrManager, ORDER_MANAGE } from "./order-permissions.js";

/** Pages are bounded so that no request can ask the store for everything at once. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface OrderListing {
  readonly status?: OrderStatus;
  readonly sort: { readonly field: OrderSortField; readonly direction: "asc" | "desc" };
  readonly page: number;
  readonly pageSize: number;
}

/** The signed-in customer's own orders. */
export class ListMyOrders extends Query<Page<OrderView>> {
  constructor(
    context: ExecutionContext,
    readonly listing: OrderListing,
  ) {
    super(context);
  }
}

export class ListMyOrdersHandler implements Handler<ListMyOrders> {
  readonly requires = customerOrManager<ListMyOrders>();

  constructor(private readonly orders: OrderReadModel) {}

  async handle({ context, listing }: ListMyOrders): Promise<Page<OrderView>> {
    const customerId = actingUserId(context.principal);
    if (customerId === undefined) throw new Forbidden("only a signed-in customer has orders of their own");
    return this.orders.list(checked({ ...listing, customerId }));
  }
}

/** Every customer's orders, optionally one customer's: the back office's view. */
export class ListAllOrders extends Query<Page<OrderView>> {
  constructor(
    context: ExecutionContext,
    readonly listing: OrderListing & { readonly customerId?: string },
  ) {
    super(context);
  }
}

export class ListAllOrdersHandler implements Handler<ListAllOrders> {
  readonly requires = requiresPermission(ORDER_MANAGE);

  constructor(private readonly orders: OrderReadModel) {}

  async handle({ listing }: ListAllOrders): Promise<Page<OrderView>> {
    return this.orders.list(checked(listing));
  }
}

function checked(criteria: OrderCriteria): OrderCriteria {
  if (!Number.isSafeInteger(criteria.page) || criteria.page < 1) {
    throw new InvalidValue("page", "page must be a whole number of at least 1");
  }
  if (
    !Number.isSafeInteger(criteria.pageSize) ||
    criteria.pageSize < 1 ||
    criteria.pageSize > MAX_PAGE_SIZE
  ) {
    throw new InvalidValue("pageSize", `page size must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return criteria;
}
