import type { Delivery, Subscription } from "../../../src/ports/event-bus.js";
import type { RecordedEvent } from "../../../src/ports/event-log.js";

export interface Seen {
  readonly event: RecordedEvent;
  readonly attempt: number;
  readonly outcome: "handled" | "failed";
}

/**
 * A subscription that records every delivery. `behaviour` decides per delivery: return to succeed,
 * throw to fail. Swap it to "fix" a handler between deliveries.
 */
export class Recorder implements Subscription {
  readonly seen: Seen[] = [];
  behaviour: (event: RecordedEvent, delivery: Delivery) => void | Promise<void> = () => {};

  constructor(
    readonly name: string,
    readonly eventTypes: readonly string[],
  ) {}

  async handle(event: RecordedEvent, delivery: Delivery): Promise<void> {
    try {
      await this.behaviour(event, delivery);
    } catch (error) {
      this.seen.push({ event, attempt: delivery.attempt, outcome: "failed" });
      throw error;
    }
    this.seen.push({ event, attempt: delivery.attempt, outcome: "handled" });
  }

  /** Ids of the events handled successfully, in order. */
  get handled(): string[] {
    return this.seen.filter((s) => s.outcome === "handled").map((s) => s.event.id);
  }

  attemptsOf(id: string): number[] {
    return this.seen.filter((s) => s.event.id === id).map((s) => s.attempt);
  }
}
