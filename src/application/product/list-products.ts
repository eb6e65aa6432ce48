import { InvalidValue } from "../../domain/shared/domain-error.js";
import type {
  Page,
  ProductCriteria,
  ProductReadModel,
  ProductView,
} from "../../ports/product/product-read-model.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { PUBLIC } from "../shared/requirement.js";

/** Pages are bounded so that no request can ask the store for everything at once. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export class ListProducts extends Query<Page<ProductView>> {
  constructor(
    context: ExecutionContext,
    readonly criteria: ProductCriteria,
  ) {
    super(context);
  }
}

export class ListProductsHandler implements Handler<ListProducts> {
  readonly requires = PUBLIC;

  constructor(private readonly products: ProductReadModel) {}

  async handle({ criteria }: ListProducts): Promise<Page<ProductView>> {
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
    const { minPriceMinor: min, maxPriceMinor: max } = criteria;
    if (min !== undefined && max !== undefined && min > max) {
      throw new InvalidValue("price", "the minimum price must not exceed the maximum price");
    }
    return this.products.list(criteria);
  }
}
