import type { Clock } from "../../ports/clock.js";
import type { ProductRepository } from "../../ports/product/product-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import type { ExpectedVersions } from "../shared/expected-version.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { lockProduct } from "./load-product.js";
import { PRODUCT_WRITE } from "./product-permissions.js";

export class AdjustStock extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly id: string;
      readonly delta: number;
      readonly reason: string;
      /** The versions this change is based on, when it is conditional; see ExpectedVersions. */
      readonly expectedVersions?: ExpectedVersions;
    },
  ) {
    super(context);
  }
}

/**
 * Locks the product, as the reservation commands do: a delivery booked while checkouts reserve the
 * same product queues with them, rather than failing on their versions until its retries run out.
 */
export class AdjustStockHandler implements Handler<AdjustStock> {
  readonly requires = requiresPermission(PRODUCT_WRITE);

  constructor(
    private readonly products: ProductRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: AdjustStock): Promise<Written> {
    const product = await lockProduct(this.products, input.id, input.expectedVersions);
    product.adjustStock(input.delta, input.reason, this.clock.now());
    await this.products.save(product);
    return { id: product.id, version: product.version };
  }
}
