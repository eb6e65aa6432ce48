import { randomBytes, randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { NatsJetStream } from "../../../src/adapters/messaging/nats/nats-connection.js";
import { NatsDeadLetters } from "../../../src/adapters/messaging/nats/nats-dead-letters.js";
import { NatsEventBus } from "../../../src/adapters/messaging/nats/nats-event-bus.js";
import { PermanentFailure } from "../../../src/ports/event-bus.js";
import type { RecordedEvent } from "../../../src/ports/event-log.js";
import { eventually } from "../../support/eventually.js";
import { NATS_URL } from "../../support/nats.js";
import { serviceTest } from "../../support/services.js";
import { test } from "../../support/uvu.js";
import { busDecision, DELIVERY } from "./bus-drivers.js";

const decision = await busDecision("nats");

const event: RecordedEvent = {
  id: randomUUID(),
  type: "product.stock_adjusted",
  aggregateType: "product",
  aggregateId: randomUUID(),
  version: 3,
  occurredAt: "2026-03-01T12:00:00.000Z",
  data: { delta: -2 },
  position: 17,
  transactionId: "900",
  metadata: {
    correlationId: "corr-1",
    causationId: "cause-1",
    principal: "user:7",
    trace: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", tracestate: "k=v" },
  },
};

serviceTest(
  decision,
  "NATS: an event goes to keel.<context>.<name> with its metadata in headers, and its dead letter says why",
  async () => {
    const prefix = `keel_test_${randomBytes(6).toString("hex")}`;
    const nats = await NatsJetStream.connect({
      ...DELIVERY,
      url: NATS_URL,
      stream: prefix,
      subjectPrefix: prefix,
    });
    try {
      await new NatsEventBus(nats).publish(event);
      const stored = await nats.jsm.streams.getMessage(prefix, {
        last_by_subj: `${prefix}.product.stock_adjusted`,
      });
      assert.equal(stored?.json(), event);
      const h = stored?.header;
      assert.equal(
        [
          "Nats-Msg-Id",
          "Keel-Event-Type",
          "Keel-Correlation-Id",
          "Keel-Causation-Id",
          "Keel-Principal",
          "traceparent",
          "tracestate",
        ].map((key) => h?.get(key)),
        [event.id, event.type, "corr-1", "cause-1", "user:7", event.metadata.trace?.traceparent, "k=v"],
      );

      const handle = await new NatsEventBus(nats).subscribe({
        name: "rejecting",
        eventTypes: [event.type],
        handle: async () => {
          throw new PermanentFailure("bad\nwidget");
        },
      });
      const deadLetters = new NatsDeadLetters(nats);
      const [letter] = await eventually(
        "a dead letter",
        () => deadLetters.list(10),
        (l) => l.length === 1,
      );
      await handle.stop();
      const dead = await nats.jsm.streams.getMessage(nats.deadLetterStream, { seq: Number(letter?.id) });
      assert.is(dead?.subject, `${prefix}_dead.rejecting`);
      assert.equal(
        ["Keel-Subscription", "Keel-Dead-Reason", "Keel-Deliveries", "Keel-Event-Id"].map((key) =>
          dead?.header.get(key),
        ),
        ["rejecting", "PermanentFailure: bad widget", "1", event.id],
      );
    } finally {
      await nats.jsm.streams.delete(prefix);
      await nats.jsm.streams.delete(nats.deadLetterStream);
      await nats.close();
    }
  },
);

test.run();
