import * as t from "io-ts";
import { CancelOrder } from "../../../application/order/cancel-order.js";
import { MarkDelivered, ShipOrder } from "../../../application/order/fulfil-order.js";
import { GetOrder } from "../../../application/order/get-order.js";
import { GetOrderSummary } from "../../../application/order/get-order-summary.js";
import { ListAllOrders, ListMyOrders } from "../../../application/order/list-orders.js";
import { PayOrder } from "../../../application/order/pay-order.js";
import { PlaceOrder } from "../../../application/order/place-order.js";
import { actingUserId } from "../../../application/shared/execution-context.js";
import type { OrderView } from "../../../ports/order/order-read-model.js";
import type { OrderSummary } from "../../../ports/order/order-summaries.js";
import { object, oneOf } from "../../http/codecs.js";
import { pageCodec, presentPage } from "../../http/paging.js";
import { type ResourceVersion, type RouteDefinition, route } from "../../http/route.js";
import { Written } from "../../http/written.js";
import {
  AllListQuery,
  CancelBody,
  CustomerParams,
  LIST_QUERY_FIELDS,
  ORDER_BODY_FIELDS,
  OrderParams,
  OwnListQuery,
  PlaceOrderBody,
  toListing,
} from "./order-inputs.js";

/** How one API version spells an order and a summary; routes and inputs are shared. */
export interface OrderShape<TOrder extends ResourceVersion, TSummary> {
  readonly order: t.Type<TOrder, unknown>;
  readonly present: (view: OrderView) => TOrder;
  readonly summary: t.Type<TSummary, unknown>;
  readonly presentSummary: (summary: OrderSummary) => TSummary;
}

const tags = ["orders"];

const PaymentAnswer = object(
  {
    id: t.string,
    version: t.number,
    outcome: oneOf(["approved", "declined"]),
    decline_reason: t.union([t.string, t.null]),
  },
  "PaymentAnswer",
);

export function orderRoutes<TOrder extends ResourceVersion, TSummary>(
  shape: OrderShape<TOrder, TSummary>,
): RouteDefinition[] {
  const OrderPage = pageCodec(shape.order, "OrderPage");
  return [
    route({
      method: "POST",
      path: "/orders",
      summary: "Place an order for the signed-in customer, priced from the catalogue now",
      tags,
      dispatches: PlaceOrder,
      body: PlaceOrderBody,
      fields: ORDER_BODY_FIELDS,
      response: Written,
      status: 201,
      location: (created) => `/orders/${created.id}`,
      etag: (created) => created,
      // A client that lost the answer retries with its key and learns the order's id, instead of
      // placing a second order.
      idempotent: true,
      message: "order placed",
      handle: ({ body }, { commands, context }) =>
        commands.dispatch(
          new PlaceOrder(context, {
            lines: body.lines.map((line) => ({ productId: line.product_id, quantity: line.quantity })),
            shippingAddress: {
              name: body.shipping_address.name,
              lines: body.shipping_address.lines,
              city: body.shipping_address.city,
              postalCode: body.shipping_address.postal_code,
              country: body.shipping_address.country,
            },
          }),
        ),
    }),
    route({
      method: "GET",
      path: "/orders",
      summary: "The signed-in customer's own orders, by status, newest first unless sorted otherwise",
      tags,
      dispatches: ListMyOrders,
      query: OwnListQuery,
      fields: LIST_QUERY_FIELDS,
      response: OrderPage,
      message: "orders listed",
      handle: async ({ query }, { queries, context }) => {
        const listing = toListing(query);
        return presentPage(
          await queries.dispatch(new ListMyOrders(context, listing)),
          listing,
          shape.present,
        );
      },
    }),
    route({
      method: "GET",
      path: "/orders/summary",
      summary: "The signed-in customer's order summary (eventually consistent: built from events)",
      tags,
      dispatches: GetOrderSummary,
      response: shape.summary,
      message: "order summary",
      handle: async (_input, { queries, context }) =>
        shape.presentSummary(
          await queries.dispatch(new GetOrderSummary(context, actingUserId(context.principal) ?? "")),
        ),
    }),
    route({
      method: "GET",
      path: "/orders/:id",
      summary: "One order: the customer's own, or any for order:manage (another's is a 404)",
      tags,
      dispatches: GetOrder,
      params: OrderParams,
      response: shape.order,
      etag: (order) => order,
      message: "order found",
      handle: async ({ params }, { queries, context }) =>
        shape.present(await queries.dispatch(new GetOrder(context, params.id))),
    }),
    route({
      method: "POST",
      path: "/orders/:id/cancel",
      summary: "Cancel an order before it ships: one's own, or any for order:manage",
      tags,
      dispatches: CancelOrder,
      params: OrderParams,
      body: CancelBody,
      fields: ORDER_BODY_FIELDS,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      message: "order cancelled",
      handle: ({ params, body, expectedVersions }, { commands, context }) =>
        commands.dispatch(
          new CancelOrder(context, {
            id: params.id,
            ...(body?.reason === undefined ? {} : { reason: body.reason }),
            expectedVersions,
          }),
        ),
    }),
    route({
      method: "POST",
      path: "/orders/:id/payment",
      summary: "Charge a confirmed order's total; a decline is an answer (200), the order stays payable",
      tags,
      dispatches: PayOrder,
      params: OrderParams,
      response: PaymentAnswer,
      etag: (paid) => paid,
      ifMatchOn: (params) => params.id,
      idempotent: true,
      message: "payment attempted",
      handle: async ({ params, expectedVersions }, { commands, context }) => {
        const result = await commands.dispatch(new PayOrder(context, { id: params.id, expectedVersions }));
        return {
          id: result.id,
          version: result.version,
          outcome: result.outcome,
          decline_reason: result.reason ?? null,
        };
      },
    }),
    route({
      method: "POST",
      path: "/orders/:id/ship",
      summary: "Mark a paid order shipped",
      tags,
      dispatches: ShipOrder,
      params: OrderParams,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      message: "order shipped",
      handle: ({ params, expectedVersions }, { commands, context }) =>
        commands.dispatch(new ShipOrder(context, { id: params.id, expectedVersions })),
    }),
    route({
      method: "POST",
      path: "/orders/:id/deliver",
      summary: "Mark a shipped order delivered",
      tags,
      dispatches: MarkDelivered,
      params: OrderParams,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      message: "order delivered",
      handle: ({ params, expectedVersions }, { commands, context }) =>
        commands.dispatch(new MarkDelivered(context, { id: params.id, expectedVersions })),
    }),
    route({
      method: "GET",
      path: "/admin/orders",
      summary: "Every customer's orders, by customer and status (order:manage)",
      tags,
      dispatches: ListAllOrders,
      query: AllListQuery,
      fields: LIST_QUERY_FIELDS,
      response: OrderPage,
      message: "orders listed",
      handle: async ({ query }, { queries, context }) => {
        const listing = {
          ...toListing(query),
          ...(query.customer_id === undefined ? {} : { customerId: query.customer_id.toLowerCase() }),
        };
        return presentPage(
          await queries.dispatch(new ListAllOrders(context, listing)),
          listing,
          shape.present,
        );
      },
    }),
    route({
      method: "GET",
      path: "/customers/:id/order-summary",
      summary: "One customer's order summary: one's own, or anyone's for order:manage",
      tags,
      dispatches: GetOrderSummary,
      params: CustomerParams,
      response: shape.summary,
      message: "order summary",
      handle: async ({ params }, { queries, context }) =>
        shape.presentSummary(await queries.dispatch(new GetOrderSummary(context, params.id.toLowerCase()))),
    }),
  ];
}
