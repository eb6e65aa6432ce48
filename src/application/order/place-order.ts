import { Order } from "../../domain/order/order.js";
import { MAX_LINES } from "../../domain/order/order-lines.js";
import type { ShippingAddress } from "../../domain/order/shipping-address.js";
import { InvalidValue } from "../../domain/shared/domain-error.js";
import { entityId } from "../../domain/shared/entity-id.js";
import type { Clock } from "../../ports/clock.js";
import type { IdGenerator } from "../../ports/id-generator.js";
import type { OrderRepository } from "../../ports/order/order-repository.js";
import type { ProductCatalog } from "../../ports/order/product-catalog.js";
import { Forbidden } from "../shared/authorization.js";
import { actingUserId, type ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import type { Written } from "../shared/written.js";
import { customerOrManager } from "./order-permissions.js";

export class PlaceOrder extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
      readonly shippingAddress: ShippingAddress;
    },
  ) {
    super(context);
  }
}

/**
 * Places an order for the signed-in customer. Prices and names come from the catalogue now, never
 * from the request: a client cannot choose what it pays. A product the catalogue does not know is a
 * refusal of that line (422), not a missing resource: the order is what was asked for, and it is
 * the request that is wrong.
 */
export class PlaceOrderHandler implements Handler<PlaceOrder> {
  readonly requires = customerOrManager<PlaceOrder>();

  constructor(
    private readonly orders: OrderRepository,
    private readonly catalog: ProductCatalog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async handle({ context, input }: PlaceOrder): Promise<Written> {
    const customerId = actingUserId(context.principal);
    if (customerId === undefined) throw new Forbidden("an order is placed by a signed-in customer");
    // Bounded before the catalogue is asked, so no request can make it look up more than an order holds.
    if (input.lines.length === 0 || input.lines.length > MAX_LINES) {
      throw new InvalidValue("lines", `lines must hold 1 to ${MAX_LINES} products`);
    }
    const ids = input.lines.map((line, index) => entityId(`lines[${index}].productId`, line.productId));
    const products = await this.catalog.find([...new Set(ids)]);
    const lines = input.lines.map((line, index) => {
      const product = products.get(ids[index] as string);
      if (product === undefined) {
        throw new InvalidValue(`lines[${index}].productId`, `product ${line.productId} does not exist`);
      }
      return {
        productId: product.id,
        quantity: line.quantity,
        unitPrice: product.unitPrice,
        productName: product.name,
      };
    });
    const order = Order.place(
      { id: this.ids.next(), customerId, lines, shippingAddress: input.shippingAddress },
      this.clock.now(),
    );
    await this.orders.save(order);
    return { id: order.id, version: order.version };
  }
}
