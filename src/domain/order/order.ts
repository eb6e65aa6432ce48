import { AggregateRoot } from "../shared/aggregate-root.js";
import { InvalidValue } from "../shared/domain-error.js";
import { entityId } from "../shared/entity-id.js";
import type { Money } from "../shared/money.js";
import { storableText } from "../shared/storable-text.js";
import { IllegalOrderTransition } from "./order-errors.js";
import type { Canceller, OrderEvent } from "./order-events.js";
import { type OrderId, orderId } from "./order-id.js";
import { type OrderLine, pricedLines, type RequestedLine } from "./order-lines.js";
import { evolveOrder, type OrderState } from "./order-state.js";
import type { OrderStatus } from "./order-status.js";
import { type ShippingAddress, shippingAddress } from "./shipping-address.js";

export interface NewOrder {
  readonly id: string;
  /** The signed-in user the order is placed for. */
  readonly customerId: string;
  readonly lines: readonly RequestedLine[];
  readonly shippingAddress: ShippingAddress;
}

/** Longest reason (rejection, decline, cancellation) or payment reference kept. */
const TEXT_MAX_LENGTH = 200;

/**
 * A customer's order and its way from placement to delivery. Lines are merged per product and priced
 * in one currency; every change of status is an event; a transition the status does not allow is an
 * IllegalOrderTransition. Asking for the status the order is already in (confirming a confirmed order,
 * the payment provider reporting the same payment twice) records nothing, so a retried step is
 * harmless. Stock and payment live in other contexts: the application reserves, charges and refunds,
 * and tells the order the outcome.
 */
export class Order extends AggregateRoot<OrderState, OrderEvent> {
  private constructor(state: OrderState | undefined, version: number) {
    super(evolveOrder, state, version);
  }

  static place(input: NewOrder, now: Date): Order {
    const order = new Order(undefined, 0);
    const { currency, lines, totalMinor } = pricedLines(input.lines);
    order.record({
      type: "order.placed",
      aggregateId: orderId(input.id),
      occurredAt: now.toISOString(),
      data: {
        customerId: entityId<"UserId">("customerId", input.customerId),
        currency,
        lines: [...lines],
        totalMinor,
        shippingAddress: shippingAddress(input.shippingAddress),
      },
    });
    return order;
  }

  static fromHistory(history: readonly OrderEvent[]): Order {
    const { state, version } = AggregateRoot.fold(evolveOrder, history);
    return new Order(state, version);
  }

  /** Loads from a stored state row; must equal `fromHistory` of the same events (tested). */
  static fromSnapshot(state: OrderState, version: number): Order {
    return new Order(state, version);
  }

  get id(): OrderId {
    return this.state.id as OrderId;
  }

  get customerId(): string {
    return this.state.customerId;
  }

  get status(): OrderStatus {
    return this.state.status;
  }

  get lines(): readonly OrderLine[] {
    return this.state.lines;
  }

  get total(): Money {
    return { amountMinor: this.state.totalMinor, currency: this.state.currency };
  }

  snapshot(): OrderState {
    return this.state;
  }

  /** Every line's stock is reserved. */
  confirm(now: Date): void {
    if (this.already("confirmed")) return;
    this.require("confirm", "placed");
    this.record({ type: "order.confirmed", aggregateId: this.id, occurredAt: now.toISOString(), data: {} });
  }

  /** Stock for some line could not be reserved; `reason` says which and why. */
  reject(reason: string, now: Date): void {
    if (this.already("rejected")) return;
    this.require("reject", "placed");
    this.record({
      type: "order.rejected",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { reason: text("reason", reason) },
    });
  }

  /**
   * The payment provider took the money. The same payment reported again (a duplicate callback, even
   * after shipping or cancelling) records nothing; a second, different payment is refused, so the
   * application refunds it rather than the order keeping two.
   */
  markPaid(paymentReference: string, now: Date): void {
    const reference = text("paymentReference", paymentReference);
    const payment = this.state.payment;
    if (payment?.reference === reference) return;
    if (payment !== null) {
      throw new IllegalOrderTransition(this.id, this.status, "pay", `already paid by ${payment.reference}`);
    }
    this.require("pay", "confirmed");
    this.record({
      type: "order.paid",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { paymentReference: reference },
    });
  }

  /** A payment attempt failed: the order stays confirmed, waiting for another until its deadline. */
  declinePayment(reason: string, now: Date): void {
    this.require("decline payment", "confirmed");
    this.record({
      type: "order.payment_declined",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { reason: text("reason", reason) },
    });
  }

  /**
   * The customer or an admin may cancel before shipping (placed, confirmed or paid); the payment
   * deadline cancels only a confirmed order (a placed one has no deadline yet, a paid one met it).
   */
  cancel(by: Canceller, reason: string, now: Date): void {
    const canceller = cancellerOf(by);
    const why = text("reason", reason);
    if (this.already("cancelled")) return;
    const previousStatus =
      canceller.kind === "payment-deadline"
        ? this.require("cancel", "confirmed")
        : this.require("cancel", "placed", "confirmed", "paid");
    this.record({
      type: "order.cancelled",
      aggregateId: this.id,
      occurredAt: now.toISOString(),
      data: { by: canceller, reason: why, refundDue: previousStatus === "paid", previousStatus },
    });
  }

  ship(now: Date): void {
    if (this.already("shipped")) return;
    this.require("ship", "paid");
    this.record({ type: "order.shipped", aggregateId: this.id, occurredAt: now.toISOString(), data: {} });
  }

  markDelivered(now: Date): void {
    if (this.already("delivered")) return;
    this.require("deliver", "shipped");
    this.record({ type: "order.delivered", aggregateId: this.id, occurredAt: now.toISOString(), data: {} });
  }

  private already(status: OrderStatus): boolean {
    return this.state.status === status;
  }

  /** The current status when it is one of `allowed`, else the refusal naming it. */
  private require<S extends OrderStatus>(action: IllegalOrderTransition["action"], ...allowed: S[]): S {
    const status = this.state.status;
    if (!(allowed as OrderStatus[]).includes(status))
      throw new IllegalOrderTransition(this.id, status, action);
    return status as S;
  }
}

function text(field: string, value: string): string {
  const trimmed = storableText(field, value).trim();
  if (trimmed.length === 0 || trimmed.length > TEXT_MAX_LENGTH) {
    throw new InvalidValue(field, `${field} must be 1-${TEXT_MAX_LENGTH} characters`);
  }
  return trimmed;
}

function cancellerOf(by: Canceller): Canceller {
  if (by.kind === "payment-deadline") return { kind: by.kind };
  return { kind: by.kind, userId: entityId<"UserId">("cancelledBy", by.userId) };
}
