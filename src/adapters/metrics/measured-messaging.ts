import type { EventBus, Subscription } from "../../ports/event-bus.js";
import type { DeliverySettings } from "../messaging/bus-settings.js";
import type { KeelMetrics } from "./keel-metrics.js";

/** The relay's bus, counting publishes the bus accepted, and those it did not (the relay retries them). */
export function countingPublishes(
  bus: EventBus,
  metrics: Pick<KeelMetrics, "publishAccepted" | "publishFailed">,
): EventBus {
  return {
    publish: async (event) => {
      try {
        await bus.publish(event);
      } catch (error) {
        metrics.publishFailed();
        throw error;
      }
      metrics.publishAccepted();
    },
    subscribe: (subscription) => bus.subscribe(subscription),
  };
}

/**
 * A subscription counting its deliveries: processed, or failed (the bus retries it, which `onRetry`
 * counts, or dead-letters it once out of deliveries, which `onDeadLetter` counts: see
 * `deliveryCounts`).
 */
export function countingDeliveries(
  subscription: Subscription,
  metrics: Pick<KeelMetrics, "delivered">,
): Subscription {
  return {
    ...subscription,
    handle: async (event, delivery) => {
      try {
        await subscription.handle(event, delivery);
        metrics.delivered(subscription.name, "processed");
      } catch (error) {
        metrics.delivered(subscription.name, "failed");
        throw error;
      }
    },
  };
}

/**
 * The bus's side of the consumer counts, for its delivery settings: what it retries and what it gives
 * up on, per subscriber.
 */
export function deliveryCounts(
  metrics: Pick<KeelMetrics, "retried" | "deadLettered">,
): Pick<DeliverySettings, "onRetry" | "onDeadLetter"> {
  return {
    onRetry: (retry) => metrics.retried(retry.subscription, retry.cause),
    onDeadLetter: (letter) => metrics.deadLettered(letter.subscription),
  };
}
