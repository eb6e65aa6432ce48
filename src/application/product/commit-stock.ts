import type { Clock } from "../../ports/clock.js";
import type { ProductRepository } from "../../ports/product/product-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { lockProduct } from "./load-product.js";
import { PRODUCT_RESERVE } from "./product-permissions.js";

/**
 * Turns what an order holds on one product into a stock decrease (the order shipped). Committing
 * again changes nothing.
 */
export class CommitStock extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: { readonly productId: string; readonly orderId: string },
  ) {
    super(context);
  }
}

/** Locks the product, like ReserveStockHandler, so commits queue with the reservations around them. */
export class CommitStockHandler implements Handler<CommitStock> {
  readonly requires = requiresPermission(PRODUCT_RESERVE);

  constructor(
    private readonly products: ProductRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: CommitStock): Promise<Written> {
    const product = await lockProduct(this.products, input.productId);
    product.commitReservation(input.orderId, this.clock.now());
    await this.products.save(product);
    return { id: product.id, version: product.version };
  }
}
