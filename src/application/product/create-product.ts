import { Product } from "../../domain/product/product.js";
import { ProductSkuTaken } from "../../domain/product/product-errors.js";
import { sku } from "../../domain/product/sku.js";
import { money } from "../../domain/shared/money.js";
import type { Clock } from "../../ports/clock.js";
import type { IdGenerator } from "../../ports/id-generator.js";
import type { ProductRepository } from "../../ports/product/product-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { PRODUCT_WRITE } from "./product-permissions.js";

export class CreateProduct extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly name: string;
      readonly sku: string;
      readonly priceMinor: number;
      readonly currency: string;
      readonly initialStock: number;
    },
  ) {
    super(context);
  }
}

export class CreateProductHandler implements Handler<CreateProduct> {
  readonly requires = requiresPermission(PRODUCT_WRITE);

  constructor(
    private readonly products: ProductRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: CreateProduct): Promise<Written> {
    const code = sku(input.sku);
    // The store's unique index is the final word under concurrency; this check gives the same
    // typed error without burning an id in the common case.
    if ((await this.products.idOfSku(code)) !== undefined) throw new ProductSkuTaken(code);
    const product = Product.create(
      {
        id: this.ids.next(),
        name: input.name,
        sku: code,
        price: money(input.priceMinor, input.currency),
        initialStock: input.initialStock,
      },
      this.clock.now(),
    );
    await this.products.save(product);
    return { id: product.id, version: product.version };
  }
}
