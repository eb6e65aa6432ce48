import { productId } from "../../domain/product/product-id.js";
import type { ProductReadModel, ProductView } from "../../ports/product/product-read-model.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { PUBLIC } from "../shared/requirement.js";

export class GetProduct extends Query<ProductView> {
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
