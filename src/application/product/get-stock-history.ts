import { productId } from "../../domain/product/product-id.js";
import type { ProductReadModel } from "../../ports/product/product-read-model.js";
import type { StockMovement, StockMovements } from "../../ports/product/stock-movements.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { PUBLIC } from "../shared/requirement.js";

export class GetStockHistory extends Query<StockMovement[]> {
  constructor(
    context: ExecutionContext,
    readonly id: string,
  ) {
    super(context);
  }
}

/** The projection is eventually consistent: the newest movements appear once the worker has run. */
export class GetStockHistoryHandler implements Handler<GetStockHistory> {
  readonly requires = PUBLIC;

  constructor(
    private readonly products: ProductReadModel,
    private readonly movements: StockMovements,
  ) {}

  async handle({ id }: GetStockHistory): Promise<StockMovement[]> {
    if ((await this.products.get(productId(id))) === undefined) throw new NotFound("product", id);
    return this.movements.history(id);
  }
}
