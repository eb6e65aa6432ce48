/**
 * A handler may run longer than the ack wait: its in-progress acks (every third of the ack wait)
 * keep JetStream from handing the delivery to someone else meanwhile. Two worker replicas share the
 * subscription's durable consumer, so while one works on the slow event the other has a pull waiting,
 * which an expired delivery would go to. At a fifth of the default scale (1 s ack wait, a 3.5 s
 * handler), on the real server.
 */
import * as assert from "uvu/assert";
import { NatsJetStream } from "../../../src/adapters/messaging/nats/nats-connection.js";
import { NatsEventBus } from "../../../src/adapters/messaging/nats/nats-event-bus.js";
import { eventually } from "../../support/eventually.js";
import { NATS_URL } from "../../support/nats.js";
import { serviceTest } from "../../support/services.js";
import { test } from "../../support/uvu.js";
import { busDecision } from "./bus-drivers.js";
import { natsFixture } from "./nats-fixture.js";
import { Recorder } from "./recorder.js";

const ACK_WAIT_MS = 1000;
const HANDLER_MS = 3500;

const decision = await busDecision("nats");

serviceTest(
  decision,
  "given two replicas and a handler that works for 3.5 times the ack wait, the event is delivered once, and the next one follows as soon as it is done",
  async () => {
    const fixture = natsFixture(NATS_URL, { ackWaitMs: ACK_WAIT_MS });
    const replicas = [
      await NatsJetStream.connect(fixture.options),
      await NatsJetStream.connect(fixture.options),
    ];
    try {
      const started: { id: string; attempt: number; replica: number; at: number }[] = [];
      const handles = await Promise.all(
        replicas.map((nats, replica) => {
          const recorder = new Recorder("slow", ["widget.made"]);
          recorder.behaviour = async (event, delivery) => {
            started.push({ id: event.id, attempt: delivery.attempt, replica, at: Date.now() });
            if (started.length === 1) await new Promise((resolve) => setTimeout(resolve, HANDLER_MS));
          };
          return new NatsEventBus(nats).subscribe(recorder);
        }),
      );
      const bus = new NatsEventBus(replicas[0] as NatsJetStream);
      const [slow, next] = [fixture.event(), fixture.event()];
      await bus.publish(slow);
      await bus.publish(next);
      await eventually(
        "the next event handled",
        () => started.map((s) => s.id),
        (ids) => ids.includes(next.id),
        HANDLER_MS + 5000,
      );
      await Promise.all(handles.map((handle) => handle.stop()));

      assert.equal(
        started.map((s) => [s.id, s.attempt]),
        [
          [slow.id, 1],
          [next.id, 1],
        ],
        "each event started once, on its first delivery",
      );
      const gap = (started[1]?.at ?? 0) - (started[0]?.at ?? 0);
      assert.ok(gap < HANDLER_MS + ACK_WAIT_MS, `the next one started ${gap} ms after the slow one`);
      assert.equal(fixture.reported, []);
    } finally {
      await Promise.all(replicas.map((nats) => nats.close()));
      await fixture.drop();
    }
  },
);

test.run();
