import { randomBytes } from "node:crypto";
import type { DeliverySettings } from "../../../src/adapters/messaging/bus-settings.js";
import { MemoryEventBus } from "../../../src/adapters/messaging/memory/memory-event-bus.js";
import { NatsJetStream } from "../../../src/adapters/messaging/nats/nats-connection.js";
import { NatsDeadLetters } from "../../../src/adapters/messaging/nats/nats-dead-letters.js";
import { NatsEventBus } from "../../../src/adapters/messaging/nats/nats-event-bus.js";
import type { DeadLetter, DeadLetters, EventBus } from "../../../src/ports/event-bus.js";
import { NATS_URL, natsDecision } from "../../support/nats.js";
import type { ServiceDecision } from "../../support/services.js";

export const BUS_DRIVERS = ["memory", "nats"] as const;
export type BusDriver = (typeof BUS_DRIVERS)[number];

/** Small numbers so that retries and dead letters happen within milliseconds. */
export const DELIVERY = { maxDeliver: 3, backoffMs: [20, 40, 80] } as const;

export interface OpenBus {
  readonly bus: EventBus;
  readonly deadLetters: DeadLetters;
  /** Errors the bus could only report out of band; a test fails if any appear. */
  readonly reported: unknown[];
  /** What the bus told of each dead letter it stored (onDeadLetter). */
  readonly deadLettered: Omit<DeadLetter, "id">[];
  close(): Promise<void>;
}

/** Whether the NATS run happens: skipped with the reason locally, required under CI=true. */
export function busDecision(driver: BusDriver): Promise<ServiceDecision> {
  return driver === "memory" ? Promise.resolve({ run: true }) : natsDecision();
}

/**
 * A bus of the driver with DELIVERY's settings; `hooks` are told of retries and dead letters too (a
 * test's metrics, say).
 */
export async function openBus(
  driver: BusDriver,
  hooks: Partial<Pick<DeliverySettings, "onRetry" | "onDeadLetter">> = {},
): Promise<OpenBus> {
  const reported: unknown[] = [];
  const deadLettered: Omit<DeadLetter, "id">[] = [];
  const onDeadLetter = (letter: Omit<DeadLetter, "id">) => {
    deadLettered.push(letter);
    hooks.onDeadLetter?.(letter);
  };
  const onRetry = hooks.onRetry ?? (() => {});
  if (driver === "memory") {
    const bus = new MemoryEventBus({ ...DELIVERY, onDeadLetter, onRetry });
    return { bus, deadLetters: bus.deadLetters, reported, deadLettered, close: async () => {} };
  }
  // A stream and subject prefix of its own, so runs never see each other or a running keel.
  const name = `keel_test_${randomBytes(6).toString("hex")}`;
  const nats = await NatsJetStream.connect({
    ...DELIVERY,
    url: NATS_URL,
    stream: name,
    subjectPrefix: name,
    onError: (error) => reported.push(error),
    onDeadLetter,
    onRetry,
  });
  return {
    bus: new NatsEventBus(nats),
    deadLetters: new NatsDeadLetters(nats),
    reported,
    deadLettered,
    close: async () => {
      await nats.jsm.streams.delete(name);
      await nats.jsm.streams.delete(nats.deadLetterStream);
      await nats.close();
    },
  };
}
