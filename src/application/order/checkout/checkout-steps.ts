import type { Order } from "../../../domain/order/order.js";
import { IllegalOrderTransition } from "../../../domain/order/order-errors.js";
import { orderId } from "../../../domain/order/order-id.js";
import type { OrderRepository } from "../../../ports/order/order-repository.js";
import type { PaymentGateway } from "../../../ports/order/payment-gateway.js";
import type { StockReservations } from "../../../ports/order/stock-reservations.js";
import { type JobContext, type JobHandler, PermanentJobFailure } from "../../jobs/job-handler.js";
import type { Command } from "../../shared/message.js";
import type { MessageBus } from "../../shared/message-bus.js";
import { ConfirmOrder, RejectOrder } from "../checkout-outcome.js";
import { refundKey } from "../pay-order.js";
import {
  asCheckout,
  commitOrderStock,
  type OrderJob,
  paymentDeadline,
  releaseOrderStock,
  reserveOrderStock,
} from "./checkout-jobs.js";
import { ExpireOrder } from "./expire-order.js";

async function theOrder(orders: OrderRepository, id: string): Promise<Order> {
  const order = await orders.get(orderId(id));
  // Jobs are enqueued only for orders that were saved: one missing will not appear by retrying.
  if (order === undefined) throw new PermanentJobFailure(`order ${id} does not exist`);
  return order;
}

/** Each product the order has a line for, once. */
const productsOf = (order: Order) => [...new Set(order.lines.map((line) => line.productId))];

/**
 * Reserves each line's stock, one reservation (one unit of work of the catalogue's) at a time, then
 * confirms the order; when a line cannot be reserved, gives back what was and rejects the order with
 * the reason. Run again after a crash at any point, it converges: a line reserved before is reserved
 * again without change, releasing what is not held does nothing, and confirming or rejecting an order
 * that already is changes nothing.
 */
export class ReserveOrderStock implements JobHandler<OrderJob> {
  readonly job = reserveOrderStock;

  constructor(
    private readonly orders: OrderRepository,
    private readonly stock: StockReservations,
    private readonly commands: MessageBus<Command<unknown>>,
  ) {}

  async handle(job: OrderJob, context: JobContext): Promise<void> {
    const order = await theOrder(this.orders, job.orderId);
    // Cancelled while it waited: whatever an earlier run reserved goes back (order.cancelled's own
    // job may have run before that run's last reservation).
    if (order.status === "cancelled") return this.release(order, job);
    if (order.status !== "placed") return;
    for (const [line, { productId, quantity }] of order.lines.entries()) {
      // A worker that lost its claim stops between steps: another now runs the job, and two runs
      // interleaving could leave one's reservations on an order the other settled.
      context.signal.throwIfAborted();
      const outcome = await this.stock.reserve(
        { orderId: order.id, line, productId, quantity },
        job.correlationId,
      );
      if (!outcome.reserved) {
        await this.release(order, job);
        await this.settle(
          new RejectOrder(asCheckout(job.correlationId), { id: order.id, reason: outcome.reason }),
          order,
          job,
        );
        return;
      }
    }
    await this.settle(new ConfirmOrder(asCheckout(job.correlationId), { id: order.id }), order, job);
  }

  /**
   * Confirms or rejects; an order settled otherwise meanwhile refuses both. Cancelled or rejected, it
   * holds no stock, so what this run reserved goes back.
   */
  private async settle(outcome: ConfirmOrder | RejectOrder, order: Order, job: OrderJob): Promise<void> {
    try {
      await this.commands.dispatch(outcome);
    } catch (error) {
      if (!(error instanceof IllegalOrderTransition)) throw error;
      const now = await theOrder(this.orders, order.id);
      if (now.status === "cancelled" || now.status === "rejected") await this.release(order, job);
    }
  }

  private release(order: Order, job: OrderJob): Promise<void> {
    return this.stock.release(order.id, productsOf(order), job.correlationId);
  }
}

/**
 * A cancelled order's stock goes back, and a paid one's money: the refund's key is the order's, so a
 * retried refund (or one the payment step started when the order was cancelled under it) pays once.
 */
export class ReleaseOrderStock implements JobHandler<OrderJob> {
  readonly job = releaseOrderStock;

  constructor(
    private readonly orders: OrderRepository,
    private readonly stock: StockReservations,
    private readonly gateway: PaymentGateway,
  ) {}

  async handle(job: OrderJob): Promise<void> {
    const order = await theOrder(this.orders, job.orderId);
    await this.stock.release(order.id, productsOf(order), job.correlationId);
    const { cancellation, payment } = order.snapshot();
    if (cancellation?.refundDue === true && payment !== null) {
      await this.gateway.refund({
        idempotencyKey: refundKey(order.id),
        orderId: order.id,
        paymentReference: payment.reference,
        amount: order.total,
      });
    }
  }
}

/** A shipped order's reservation becomes a stock decrease on each of its products. */
export class CommitOrderStock implements JobHandler<OrderJob> {
  readonly job = commitOrderStock;

  constructor(
    private readonly orders: OrderRepository,
    private readonly stock: StockReservations,
  ) {}

  async handle(job: OrderJob): Promise<void> {
    const order = await theOrder(this.orders, job.orderId);
    await this.stock.commit(order.id, productsOf(order), job.correlationId);
  }
}

/** When the time to pay has run out: an order still unpaid is cancelled (its stock then goes back). */
export class PaymentDeadline implements JobHandler<OrderJob> {
  readonly job = paymentDeadline;

  constructor(
    private readonly commands: MessageBus<Command<unknown>>,
    private readonly settings: { readonly paymentTimeoutS: number },
  ) {}

  async handle(job: OrderJob): Promise<void> {
    await this.commands.dispatch(
      new ExpireOrder(asCheckout(job.correlationId), {
        id: job.orderId,
        timeoutS: this.settings.paymentTimeoutS,
      }),
    );
  }
}
