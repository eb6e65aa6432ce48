import type { Clock } from "../../ports/clock.js";
import type { ProductRepository } from "../../ports/product/product-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { lockProduct } from "./load-product.js";
import { PRODUCT_RESERVE } from "./product-permissions.js";

/**
 * Sets stock of one product aside for one order line. Sent once per line by the order checkout, each
 * in its own unit of work; sending it again for the same line and quantity changes nothing.
 */
export class ReserveStock extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly productId: string;
      readonly orderId: string;
      /** The line's 0-based position in the order. */
      readonly line: number;
      readonly quantity: number;
    },
  ) {
    super(context);
  }
}

/**
 * Locks the product before reading it: many checkouts reserve the last units of a popular product
 * at once, and on optimistic versions alone most of them would fail on each other until their
 * retries ran out. Queued on the lock, each decides on the stock the one before it left.
 */
export class ReserveStockHandler implements Handler<ReserveStock> {
  readonly requires = requiresPermission(PRODUCT_RESERVE);

  constructor(
    private readonly products: ProductRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: ReserveStock): Promise<Written> {
    const product = await lockProduct(this.products, input.productId);
    product.reserveStock({ orderId: input.orderId, line: input.line }, input.quantity, this.clock.now());
    await this.products.save(product);
    return { id: product.id, version: product.version };
  }
}
