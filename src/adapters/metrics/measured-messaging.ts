import type { EventBus, Subscription } from "../../ports/event-bus.js";
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
 * A subscription counting its deliveries: processed, or failed (the bus retries it, or dead-letters it
 * once out of deliveries, which `onDeadLetter` counts).
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
