import type { ProductEvent } from "../../domain/product/product-events.js";
import { productId } from "../../domain/product/product-id.js";
import type { ProductReadModel, ProductView } from "../../ports/product/product-read-model.js";
import { cacheable } from "../shared/caching-behaviour.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { PUBLIC } from "../shared/requirement.js";

/** Every product event, checked against the union: a new kind of event cannot be left out. */
const PRODUCT_EVENT_TYPES = Object.keys({
  "product.created": true,
  "product.renamed": true,
  "product.price_changed": true,
  "product.stock_adjusted": true,
  "product.stock_reserved": true,
  "product.reservation_released": true,
  "product.reservation_committed": true,
} satisfies Record<ProductEvent["type"], true>);

export class GetProduct extends Query<ProductView> {
  /** Read-through cached by id; any event of the product makes its entry stale. */
  static readonly cache = cacheable<GetProduct>({
    key: (query) => query.id,
    invalidatedBy: { eventTypes: PRODUCT_EVENT_TYPES, keys: (event) => [event.aggregateId] },
  });

  constructor(
    context: ExecutionContext,
    readonly id: string,
  ) {
    super(context);
  }
}

export class GetProductHandler implements Handler<GetProduct> {
  readonly requires = PUBLIC;

  constructor(private readonly products: ProductReadModel) {}

  async handle({ id }: GetProduct): Promise<ProductView> {
    const view = await this.products.get(productId(id));
    if (view === undefined) throw new NotFound("product", id);
    return view;
  }
}
