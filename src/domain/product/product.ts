import { AggregateRoot } from "../shared/aggregate-root.js";
import { InvalidValue } from "../shared/domain-error.js";
import { type Money, sameMoney } from "../shared/money.js";
import { name } from "../shared/name.js";
import { storableText } from "../shared/storable-text.js";
import { InsufficientStock, OrderLineAlreadyReserved, StockLimitExceeded } from "./product-errors.js";
import type { ProductEvent } from "./product-events.js";
import { type ProductId, productId } from "./product-id.js";
import { evolveProduct, type ProductState } from "./product-state.js";
import { MAX_STOCK, nonNegativeQuantity, positiveQuantity, stockDelta } from "./quantity.js";
import { type OrderLineRef, orderLineRef, reservingOrderId, type StockReservation } from "./reservation.js";
import { sku } from "./sku.js";

export interface NewProduct {
  readonly id: string;
  readonly name: string;
  readonly sku: string;
  readonly price: Money;
  readonly initialStock: number;
}

/**
 * A sellable item and its stock. Stock on hand never drops below what is reserved, nothing is
 * reserved beyond what is available, and no more than MAX_STOCK units are ever on hand. Reservations
 * are held per order line, so that an order's checkout can retry any step: reserving a line again,
 * releasing or committing an order again, changes nothing. SKU uniqueness spans products, so the
 * application checks it.
 */
export class Product extends AggregateRoot<ProductState, ProductEvent> {
  private constructor(state: ProductState | undefined, version: number) {
    super(evolveProduct, state, version);
  }

  static create(input: NewProduct, now: Date): Product {
    const product = new Product(undefined, 0);
    product.record({
      type: "product.created",
      aggregateId: productId(input.id),
      occurredAt: now.toISOString(),
      data: {
        name: name("name", input.name),
        sku: sku(input.sku),
        priceMinor: input.price.amountMinor,
        currency: input.price.currency,
        stock: nonNegativeQuantity("initialStock", input.initialStock),
      },
    });
    return product;
  }

  static fromHistory(history: readonly ProductEvent[]): Product {
    const { state, version } = AggregateRoot.fold(evolveProduct, history);
    return new Product(state, version);
  }

  /** Loads from a stored state row; must equal `fromHistory` of the same events (tested). */
  static fromSnapshot(state: ProductState, version: number): Product {
    return new Product(state, version);
  }

  get id(): ProductId {
    return this.state.id as ProductId;
  }

  get available(): number {
    return this.state.onHand - this.state.reserved;
  }

  /** The open reservations of one order on this product. */
  reservationsOf(orderId: string): readonly StockReservation[] {
    const id = reservingOrderId(orderId);
    return this.state.reservations.filter((r) => r.orderId === id);
  }

  snapshot(): ProductState {
    return this.state;
  }

  rename(newName: string, now: Date): void {
    const normalised = name("name", newName);
    if (normalised === this.state.name) return;
    this.record({
      type: "product.renamed",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { name: normalised },
    });
  }

  changePrice(price: Money, now: Date): void {
    if (sameMoney(price, { amountMinor: this.state.priceMinor, currency: this.state.currency })) return;
    this.record({
      type: "product.price_changed",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { priceMinor: price.amountMinor, currency: price.currency },
    });
  }

  /**
   * Corrects stock on hand; a positive delta may not take stock on hand beyond MAX_STOCK, and a
   * negative one may not eat into reserved units (InsufficientStock naming what is available): those
   * are promised to orders, and only their release or commit frees them. A write-off that must go
   * deeper waits for the orders, or has them cancelled first.
   */
  adjustStock(delta: number, reason: string, now: Date): void {
    stockDelta("delta", delta);
    const why = storableText("reason", reason).trim();
    if (why.length === 0 || why.length > 200)
      throw new InvalidValue("reason", "reason must be 1-200 characters");
    if (delta < 0 && -delta > this.available) throw new InsufficientStock(this.id, -delta, this.available);
    if (this.state.onHand + delta > MAX_STOCK)
      throw new StockLimitExceeded(this.id, delta, this.state.onHand, MAX_STOCK);
    this.record({
      type: "product.stock_adjusted",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { delta, reason: why },
    });
  }

  /**
   * Sets `quantity` units aside for one order line. The same line reserved again with the same
   * quantity records nothing (a retried checkout step); with another quantity it is refused.
   */
  reserveStock(ref: OrderLineRef, quantity: number, now: Date): void {
    const { orderId, line } = orderLineRef(ref);
    positiveQuantity("quantity", quantity);
    const held = this.state.reservations.find((r) => r.orderId === orderId && r.line === line);
    if (held !== undefined) {
      if (held.quantity === quantity) return;
      throw new OrderLineAlreadyReserved(this.id, orderId, line, held.quantity, quantity);
    }
    if (quantity > this.available) throw new InsufficientStock(this.id, quantity, this.available);
    this.record({
      type: "product.stock_reserved",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { orderId, line, quantity },
    });
  }

  /** Gives back every line the order holds on this product; an order holding none records nothing. */
  releaseReservation(orderId: string, now: Date): void {
    const id = reservingOrderId(orderId);
    const quantity = this.reservedFor(id);
    if (quantity === 0) return;
    this.record({
      type: "product.reservation_released",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { orderId: id, quantity },
    });
  }

  /**
   * The order's reserved units leave the stock (the order shipped). An order holding none records
   * nothing, so committing twice takes the stock once.
   */
  commitReservation(orderId: string, now: Date): void {
    const id = reservingOrderId(orderId);
    const quantity = this.reservedFor(id);
    if (quantity === 0) return;
    this.record({
      type: "product.reservation_committed",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { orderId: id, quantity },
    });
  }

  private reservedFor(orderId: string): number {
    return this.reservationsOf(orderId).reduce((sum, r) => sum + r.quantity, 0);
  }
}
