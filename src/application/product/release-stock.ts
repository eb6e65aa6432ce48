import type { Clock } from "../../ports/clock.js";
import type { ProductRepository } from "../../ports/product/product-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { lockProduct } from "./load-product.js";
import { PRODUCT_RESERVE } from "./product-permissions.js";

/**
 * Gives back every unit an order holds on one product (the order was rejected or cancelled). An
 * order holding none there, released already say, changes nothing.
 */
export class ReleaseStock extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: { readonly productId: string; readonly orderId: string },
  ) {
    super(context);
  }
}

/** Locks the product, like ReserveStockHandler, so releases queue with the reservations they free. */
export class ReleaseStockHandler implements Handler<ReleaseStock> {
  readonly requires = requiresPermission(PRODUCT_RESERVE);

  constructor(
    private readonly products: ProductRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: ReleaseStock): Promise<Written> {
    const product = await lockProduct(this.products, input.productId);
    product.releaseReservation(input.orderId, this.clock.now());
    await this.products.save(product);
    return { id: product.id, version: product.version };
  }
}
