import * as t from "io-ts";
import { AdjustStock } from "../../../application/product/adjust-stock.js";
import { ChangePrice } from "../../../application/product/change-price.js";
import { CreateProduct } from "../../../application/product/create-product.js";
import { GetProduct } from "../../../application/product/get-product.js";
import { GetStockHistory } from "../../../application/product/get-stock-history.js";
import { ListProducts } from "../../../application/product/list-products.js";
import { RenameProduct } from "../../../application/product/rename-product.js";
import type { ProductView } from "../../../ports/product/product-read-model.js";
import { object, strictObject } from "../../http/codecs.js";
import { pageCodec, presentPage } from "../../http/paging.js";
import { type ResourceVersion, type RouteDefinition, route } from "../../http/route.js";
import { Written } from "../../http/written.js";
import {
  initialStock,
  LIST_QUERY_FIELDS,
  listQuery,
  PRODUCT_BODY_FIELDS,
  ProductParams,
  productName,
  productSku,
  RenameBody,
  StockAdjustmentBody,
  toCriteria,
} from "./product-inputs.js";

/** How one API version spells a product and its price; everything else is shared. */
export interface ProductShape<TPriceProps extends t.Props, TProduct extends ResourceVersion> {
  /** The fields that carry a price in request bodies. */
  readonly priceProps: TPriceProps;
  /** Where the domain's `price` and `currency` arrive in those bodies, for refusals to name. */
  readonly priceFields: { readonly price: string; readonly currency: string };
  readonly readPrice: (body: t.TypeOf<t.TypeC<TPriceProps>>) => { priceMinor: number; currency: string };
  /** `min_price` and `max_price` of the listing, in the version's spelling of a price, as minor units. */
  readonly priceFilter: t.Type<number, string, unknown>;
  readonly product: t.Type<TProduct, unknown>;
  readonly present: (view: ProductView) => TProduct;
}

const tags = ["products"];

const StockHistory = object({
  items: t.array(
    object({
      event_id: t.string,
      version: t.number,
      kind: t.string,
      quantity: t.number,
      note: t.string,
      occurred_at: t.string,
    }),
  ),
});

export function productRoutes<TPriceProps extends t.Props, TProduct extends ResourceVersion>(
  shape: ProductShape<TPriceProps, TProduct>,
): RouteDefinition[] {
  const CreateBody = strictObject({
    name: productName,
    sku: productSku,
    stock: initialStock,
    ...shape.priceProps,
  });
  const PriceBody = strictObject(shape.priceProps);
  const ListQuery = listQuery(shape.priceFilter);
  const ProductPage = pageCodec(shape.product, "ProductPage");
  const fields = { ...PRODUCT_BODY_FIELDS, ...shape.priceFields };

  return [
    route({
      method: "GET",
      path: "/products/:id/stock-history",
      summary: "Stock movements of a product, oldest first (eventually consistent: built from its events)",
      tags,
      dispatches: GetStockHistory,
      params: ProductParams,
      response: StockHistory,
      message: "stock history",
      handle: async ({ params }, { queries, context }) => ({
        items: (await queries.dispatch(new GetStockHistory(context, params.id))).map((m) => ({
          event_id: m.eventId,
          version: m.version,
          kind: m.kind,
          quantity: m.quantity,
          note: m.note,
          occurred_at: m.occurredAt,
        })),
      }),
    }),
    route({
      method: "GET",
      path: "/products",
      summary: "List products, filtered by name and price, sorted and paged",
      tags,
      dispatches: ListProducts,
      query: ListQuery,
      fields: LIST_QUERY_FIELDS,
      response: ProductPage,
      message: "products listed",
      handle: async ({ query }, { queries, context }) => {
        const criteria = toCriteria(query);
        return presentPage(
          await queries.dispatch(new ListProducts(context, criteria)),
          criteria,
          shape.present,
        );
      },
    }),
    route({
      method: "GET",
      path: "/products/:id",
      summary: "Get one product",
      tags,
      dispatches: GetProduct,
      params: ProductParams,
      response: shape.product,
      etag: (product) => product,
      message: "product found",
      handle: async ({ params }, { queries, context }) =>
        shape.present(await queries.dispatch(new GetProduct(context, params.id))),
    }),
    route({
      method: "POST",
      path: "/products",
      summary: "Create a product with its price and initial stock",
      tags,
      dispatches: CreateProduct,
      body: CreateBody,
      fields,
      response: Written,
      status: 201,
      location: (created) => `/products/${created.id}`,
      etag: (created) => created,
      // A client that lost the answer retries with its key and learns the product's id, instead of
      // meeting its own SKU as a 409.
      idempotent: true,
      message: "product created",
      handle: ({ body }, { commands, context }) =>
        commands.dispatch(
          new CreateProduct(context, {
            name: body.name,
            sku: body.sku,
            initialStock: body.stock,
            ...shape.readPrice(body as t.TypeOf<t.TypeC<TPriceProps>>),
          }),
        ),
    }),
    route({
      method: "PUT",
      path: "/products/:id/name",
      summary: "Rename a product",
      tags,
      dispatches: RenameProduct,
      params: ProductParams,
      body: RenameBody,
      fields,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      message: "product renamed",
      handle: ({ params, body, expectedVersions }, { commands, context }) =>
        commands.dispatch(new RenameProduct(context, { id: params.id, name: body.name, expectedVersions })),
    }),
    route({
      method: "PUT",
      path: "/products/:id/price",
      summary: "Change a product's price",
      tags,
      dispatches: ChangePrice,
      params: ProductParams,
      body: PriceBody,
      fields,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      message: "price changed",
      handle: ({ params, body, expectedVersions }, { commands, context }) =>
        commands.dispatch(
          new ChangePrice(context, {
            id: params.id,
            ...shape.readPrice(body as t.TypeOf<t.TypeC<TPriceProps>>),
            expectedVersions,
          }),
        ),
    }),
    route({
      method: "POST",
      path: "/products/:id/stock-adjustments",
      summary: "Correct stock on hand (delivery, count, write-off); it may not drop below reserved units",
      tags,
      dispatches: AdjustStock,
      params: ProductParams,
      body: StockAdjustmentBody,
      fields,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      message: "stock adjusted",
      handle: ({ params, body, expectedVersions }, { commands, context }) =>
        commands.dispatch(
          new AdjustStock(context, {
            id: params.id,
            delta: body.delta,
            reason: body.reason,
            expectedVersions,
          }),
        ),
    }),
  ];
}
