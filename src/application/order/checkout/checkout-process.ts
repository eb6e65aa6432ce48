import type { RecordedEvent } from "../../../ports/event-log.js";
import type { Jobs } from "../../../ports/jobs.js";
import type { EventHandler } from "../../messaging/idempotent-subscriber.js";
import {
  commitOrderStock,
  confirmationMail,
  type OrderJob,
  paymentDeadline,
  releaseOrderStock,
  reserveOrderStock,
  shippingMail,
} from "./checkout-jobs.js";

/**
 * The checkout process manager's ears: each order event that asks something of another context (or
 * of the mail server) becomes a job, enqueued in the same transaction that marks the event processed, so it exists
 * exactly once however often the event is delivered. The jobs do the work, each step in a unit of
 * work of its own, retried until it is done: the process's state is the jobs' and the aggregates'
 * (reservations are kept per order line), so a worker that dies at any step leaves the next worker
 * a job to run again, harmlessly.
 */
export class CheckoutProcess implements EventHandler {
  readonly name = "order-checkout";
  readonly eventTypes = ["order.placed", "order.confirmed", "order.cancelled", "order.shipped"];

  constructor(
    private readonly jobs: Jobs,
    private readonly settings: { readonly paymentTimeoutS: number },
  ) {}

  async apply(event: RecordedEvent): Promise<void> {
    const job: OrderJob = { orderId: event.aggregateId, correlationId: event.metadata.correlationId };
    // One job per order and step: the dedupe key holds while one is pending.
    const once = { dedupeKey: event.aggregateId };
    switch (event.type) {
      case "order.placed":
        await this.jobs.enqueue(reserveOrderStock, job, once);
        return;
      case "order.confirmed": {
        const due = new Date(Date.parse(event.occurredAt) + this.settings.paymentTimeoutS * 1000);
        await this.jobs.enqueue(paymentDeadline, job, { ...once, runAt: due });
        await this.jobs.enqueue(confirmationMail, job, once);
        return;
      }
      case "order.cancelled":
        await this.jobs.enqueue(releaseOrderStock, job, once);
        return;
      case "order.shipped":
        await this.jobs.enqueue(commitOrderStock, job, once);
        await this.jobs.enqueue(shippingMail, job, once);
        return;
    }
  }
}
