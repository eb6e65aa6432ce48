import { randomBytes, randomUUID } from "node:crypto";
import type { NatsOptions } from "../../../src/adapters/messaging/nats/nats-settings.js";
import type { RecordedEvent } from "../../../src/ports/event-log.js";
import { deleteStreams } from "../../support/nats.js";
import { DELIVERY } from "./bus-drivers.js";

/** A stream and subject prefix of the test's own, with what the bus could only report out of band. */
export function natsFixture(url: string, options: NatsOptions = {}) {
  const name = `keel_test_${randomBytes(6).toString("hex")}`;
  const reported: { error: unknown; context: string }[] = [];
  let position = 0;
  return {
    name,
    reported,
    options: {
      ...DELIVERY,
      url,
      stream: name,
      subjectPrefix: name,
      onError: (error: unknown, context: string) => void reported.push({ error, context }),
      ...options,
    } satisfies NatsOptions,
    event(type = "widget.made"): RecordedEvent {
      position += 1;
      return {
        id: randomUUID(),
        type,
        aggregateType: "widget",
        aggregateId: randomUUID(),
        version: 1,
        occurredAt: new Date().toISOString(),
        data: { position },
        position,
        transactionId: "1000",
        metadata: { correlationId: `corr-${name}`, principal: "system" },
      };
    },
    /** Deletes the streams on the shared server (events and dead letters). */
    drop: () => deleteStreams(name, `${name}_dead_letters`),
  };
}
