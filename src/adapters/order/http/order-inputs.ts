import * as t from "io-ts";
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type OrderListing,
} from "../../../application/order/list-orders.js";
import { MAX_LINE_QUANTITY, MAX_LINES } from "../../../domain/order/order-lines.js";
import type { OrderStatus } from "../../../domain/order/order-status.js";
import { MAX_ADDRESS_LINES } from "../../../domain/order/shipping-address.js";
import type { OrderSortField } from "../../../ports/order/order-read-model.js";
import {
  integer,
  integerFromString,
  oneOf,
  optional,
  strictObject,
  strictQuery,
  text,
  uuid,
} from "../../http/codecs.js";

/**
 * Inputs shared by every API version of the order routes. Bounds are the domain's own, so HTTP
 * refuses with a 400 what the domain would refuse, before any handler runs; what only the domain can
 * judge (an unknown product, a country code nobody assigned) is its 422, in the client's spelling.
 */

export const OrderParams = t.type({ id: uuid });

const ShippingAddressInput = strictObject(
  {
    name: text(1, 200),
    lines: t.array(text(1, 100)),
    city: text(1, 100),
    postal_code: text(1, 16),
    country: text(2, 2, "ISO 3166-1 alpha-2 code"),
  },
  "ShippingAddressInput",
);

export const PlaceOrderBody = strictObject(
  {
    lines: t.array(
      strictObject({ product_id: uuid, quantity: integer(1, MAX_LINE_QUANTITY) }, "OrderLineInput"),
    ),
    shipping_address: ShippingAddressInput,
  },
  "PlaceOrderBody",
);

/** A reason is optional, and so is the body that would carry it. */
export const CancelBody = optional(strictObject({ reason: optional(text(1, 200)) }, "CancelOrderBody"));

/** Where each value placing or cancelling may be refused under arrived, per line and address part. */
export const ORDER_BODY_FIELDS: Readonly<Record<string, string>> = {
  lines: "body.lines",
  reason: "body.reason",
  "shippingAddress.name": "body.shipping_address.name",
  "shippingAddress.lines": "body.shipping_address.lines",
  "shippingAddress.city": "body.shipping_address.city",
  "shippingAddress.postalCode": "body.shipping_address.postal_code",
  "shippingAddress.country": "body.shipping_address.country",
  ...Object.fromEntries(
    Array.from({ length: MAX_ADDRESS_LINES }, (_, i) => [
      `shippingAddress.lines[${i}]`,
      `body.shipping_address.lines[${i}]`,
    ]),
  ),
  ...Object.fromEntries(
    Array.from({ length: MAX_LINES }, (_, i) => [
      [`lines[${i}].productId`, `body.lines[${i}].product_id`],
      [`lines[${i}].quantity`, `body.lines[${i}].quantity`],
    ]).flat(),
  ),
};

const STATUSES = [
  "placed",
  "confirmed",
  "rejected",
  "paid",
  "shipped",
  "delivered",
  "cancelled",
] as const satisfies readonly OrderStatus[];

const SORT_FIELDS = { placed_at: "placedAt", total: "total" } as const satisfies Record<
  string,
  OrderSortField
>;

const listingProps = {
  page: optional(integerFromString(1, 1_000_000)),
  page_size: optional(integerFromString(1, MAX_PAGE_SIZE)),
  status: optional(oneOf(STATUSES)),
  sort: optional(oneOf(["placed_at", "total"])),
  order: optional(oneOf(["asc", "desc"])),
};

export const OwnListQuery = strictQuery(listingProps, "OwnOrdersQuery");
export const AllListQuery = strictQuery({ ...listingProps, customer_id: optional(uuid) }, "AllOrdersQuery");

export const LIST_QUERY_FIELDS = { page: "query.page", pageSize: "query.page_size" } as const;

/** Newest first unless asked otherwise: a customer looks for their latest order. */
export function toListing(query: t.TypeOf<typeof OwnListQuery>): OrderListing {
  return {
    ...(query.status === undefined ? {} : { status: query.status }),
    sort: { field: SORT_FIELDS[query.sort ?? "placed_at"], direction: query.order ?? "desc" },
    page: query.page ?? 1,
    pageSize: query.page_size ?? DEFAULT_PAGE_SIZE,
  };
}

export const CustomerParams = t.type({ id: uuid });
