import { IllegalOrderTransition } from "../../domain/order/order-errors.js";
import { orderId } from "../../domain/order/order-id.js";
import type { Clock } from "../../ports/clock.js";
import type { OrderRepository } from "../../ports/order/order-repository.js";
import type { ChargeOutcome, PaymentGateway } from "../../ports/order/payment-gateway.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import type { ExpectedVersions } from "../shared/expected-version.js";
import { Command, type Handler } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { eventMetadata } from "../shared/unit-of-work-behaviour.js";
import { loadOrder } from "./load-order.js";
import { customerOrManager } from "./order-permissions.js";

/** What a payment attempt came to: the order's version after it, and the gateway's answer. */
export interface PaymentResult {
  readonly id: string;
  readonly version: number;
  readonly outcome: "approved" | "declined";
  /** The gateway's reason, for a decline. */
  readonly reason?: string;
}

export class PayOrder extends Command<PaymentResult> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly id: string;
      /** The versions this change is based on, when it is conditional; see ExpectedVersions. */
      readonly expectedVersions?: ExpectedVersions;
    },
  ) {
    super(context);
  }
}

/**
 * A charge's key is the order's and the attempt's: a retry of an attempt (after a timeout, a crash)
 * is answered as that attempt was, while paying again after a decline is a new charge — the gateway
 * would otherwise replay the decline forever.
 */
export const chargeKey = (id: string, attempt: number) => `order-${id}-charge-${attempt}`;
export const refundKey = (id: string) => `order-${id}-refund`;

/**
 * Charges a confirmed order's total through the payment gateway. The charge is a remote call that
 * may take seconds, so no transaction is held across it: the order is checked in one unit of work,
 * charged, and the outcome recorded in another. A gateway outage (DependencyUnavailable) propagates
 * and records nothing; retrying is safe because the charge's idempotency key is derived from the
 * order, so the gateway answers a retried charge with its first outcome instead of charging again.
 * Paying a paid order again answers its payment without charging.
 */
export class PayOrderHandler implements Handler<PayOrder> {
  readonly requires = customerOrManager<PayOrder>();
  readonly ownsTransaction = true;

  constructor(
    private readonly orders: OrderRepository,
    private readonly gateway: PaymentGateway,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async handle({ context, input }: PayOrder): Promise<PaymentResult> {
    const metadata = eventMetadata(context);
    const due = await this.unitOfWork.run(metadata, async () => {
      const order = await loadOrder(this.orders, input.id, context, input.expectedVersions);
      if (order.snapshot().payment !== null) return { paid: { id: order.id, version: order.version } };
      if (order.status !== "confirmed") throw new IllegalOrderTransition(order.id, order.status, "pay");
      return { charge: { orderId: order.id, amount: order.total, attempt: order.snapshot().declines + 1 } };
    });
    if (due.paid !== undefined) return { ...due.paid, outcome: "approved" };

    const { orderId: id, amount, attempt } = due.charge;
    const outcome = await this.gateway.charge({
      idempotencyKey: chargeKey(id, attempt),
      orderId: id,
      amount,
    });
    try {
      return await this.unitOfWork.run(metadata, () => this.record(id, outcome));
    } catch (error) {
      // Taken money the order cannot keep (it was cancelled while the charge ran) goes back.
      if (outcome.outcome === "approved" && error instanceof IllegalOrderTransition) {
        await this.gateway.refund({
          idempotencyKey: refundKey(id),
          orderId: id,
          paymentReference: outcome.paymentReference,
          amount,
        });
      }
      throw error;
    }
  }

  private async record(id: string, outcome: ChargeOutcome): Promise<PaymentResult> {
    const order = await this.orders.get(orderId(id));
    if (order === undefined) throw new NotFound("order", id);
    const now = this.clock.now();
    if (outcome.outcome === "approved") order.markPaid(outcome.paymentReference, now);
    else order.declinePayment(outcome.reason, now);
    await this.orders.save(order);
    return {
      id: order.id,
      version: order.version,
      ...(outcome.outcome === "approved"
        ? { outcome: "approved" }
        : { outcome: "declined", reason: outcome.reason }),
    };
  }
}
