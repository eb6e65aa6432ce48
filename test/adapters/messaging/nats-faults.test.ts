/**
 * The NATS adapter through a fault proxy (loopback, the shared server untouched): a link opened while
 * NATS is unreachable, a connection cut under a running subscription, a durable consumer deleted
 * under one. Publishing on the side goes through a direct connection of its own, as another
 * process's relay would.
 */
import * as assert from "uvu/assert";
import { NatsJetStream } from "../../../src/adapters/messaging/nats/nats-connection.js";
import { NatsEventBus } from "../../../src/adapters/messaging/nats/nats-event-bus.js";
import { NatsLink } from "../../../src/adapters/messaging/nats/nats-link.js";
import { DependencyUnavailable } from "../../../src/ports/dependency-unavailable.js";
import { eventually } from "../../support/eventually.js";
import { FaultProxy } from "../../support/fault-proxy.js";
import { NATS_URL } from "../../support/nats.js";
import { serviceTest } from "../../support/services.js";
import { test } from "../../support/uvu.js";
import { busDecision } from "./bus-drivers.js";
import { natsFixture } from "./nats-fixture.js";
import { Recorder } from "./recorder.js";

const decision = await busDecision("nats");

function natsTarget() {
  const url = new URL(NATS_URL);
  return { host: url.hostname, port: Number(url.port || 4222) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

serviceTest(
  decision,
  "given NATS unreachable, when a link opens, then it returns after one attempt, reports the bus down but not beyond recovery, and consumes once NATS is back",
  async () => {
    const proxy = await FaultProxy.start(natsTarget());
    const fixture = natsFixture(proxy.url(NATS_URL));
    const link = new NatsLink(fixture.options);
    const direct = await NatsJetStream.connect({ ...fixture.options, url: NATS_URL });
    try {
      proxy.set("refuse");
      const started = Date.now();
      await link.open();
      assert.ok(Date.now() - started < 2000, `open() took ${Date.now() - started} ms`);
      assert.match(String(await rejection(link.check())), /not connected yet/);
      assert.is(link.beyondRecovery(), undefined);

      const bus = new NatsEventBus(link);
      const recorder = new Recorder("late-joiner", ["widget.made"]);
      const handle = await bus.subscribe(recorder);
      assert.instance(await rejection(bus.publish(fixture.event())), DependencyUnavailable);

      const written = fixture.event();
      await new NatsEventBus(direct).publish(written);
      proxy.set("pass");
      await eventually(
        "the link to connect",
        () =>
          link.check().then(
            () => true,
            () => false,
          ),
        (up) => up,
        10_000,
      );
      await eventually(
        "the event published while the link was down",
        () => recorder.handled,
        (ids) => ids.includes(written.id),
        10_000,
      );
      const after = fixture.event();
      await bus.publish(after);
      await eventually(
        "an event published through the link",
        () => recorder.handled,
        (ids) => ids.includes(after.id),
      );
      await handle.stop();
    } finally {
      await link.close();
      await direct.close();
      await proxy.close();
      await fixture.drop();
    }
  },
);

serviceTest(
  decision,
  "given a running subscription, when NATS is cut for a few seconds, then publishing fails fast meanwhile and the events published elsewhere arrive once it is back",
  async () => {
    const proxy = await FaultProxy.start(natsTarget());
    const fixture = natsFixture(proxy.url(NATS_URL));
    const link = new NatsLink(fixture.options);
    const direct = await NatsJetStream.connect({ ...fixture.options, url: NATS_URL });
    try {
      await link.open();
      const bus = new NatsEventBus(link);
      const recorder = new Recorder("rider", ["widget.made"]);
      const handle = await bus.subscribe(recorder);
      const before = fixture.event();
      await bus.publish(before);
      // Acknowledged, not only handled: an ack cut off by the outage would redeliver it (at least once).
      await eventually(
        "the first event handled and acknowledged",
        async () => ({
          handled: recorder.handled,
          unsettled: (await direct.jsm.consumers.info(fixture.name, "rider")).num_ack_pending,
        }),
        (s) => s.handled.includes(before.id) && s.unsettled === 0,
      );

      proxy.set("refuse");
      await eventually(
        "the link to notice",
        () => link.usable(),
        (usable) => usable === undefined,
      );
      const refusedAt = Date.now();
      assert.instance(await rejection(bus.publish(fixture.event())), DependencyUnavailable);
      assert.ok(Date.now() - refusedAt < 100, "no wait for a publish timeout");
      const during = [fixture.event(), fixture.event(), fixture.event()];
      for (const event of during) await new NatsEventBus(direct).publish(event);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.match(String(await rejection(link.check())), /reconnecting/);
      assert.is(link.beyondRecovery(), undefined, "an outage is not beyond recovery");

      proxy.set("pass");
      await eventually(
        "the events published during the outage, each once",
        () => recorder.handled,
        (ids) => during.every((event) => ids.includes(event.id)),
        10_000,
      );
      await link.check();
      assert.equal(recorder.handled, [before.id, ...during.map((event) => event.id)]);
      await handle.stop();
    } finally {
      await link.close();
      await direct.close();
      await proxy.close();
      await fixture.drop();
    }
  },
);

serviceTest(
  decision,
  "given a running subscription, when its durable consumer is deleted, then the subscription declares it again and goes on consuming",
  async () => {
    const fixture = natsFixture(NATS_URL);
    const nats = await NatsJetStream.connect(fixture.options);
    try {
      const bus = new NatsEventBus(nats);
      const recorder = new Recorder("orphan", ["widget.made"]);
      const handle = await bus.subscribe(recorder);
      const first = fixture.event();
      await bus.publish(first);
      await eventually(
        "the first event",
        () => recorder.handled,
        (ids) => ids.includes(first.id),
      );
      await nats.jsm.consumers.delete(fixture.name, "orphan");
      const second = fixture.event();
      await bus.publish(second);
      // Noticed within two missed pull heartbeats (10 s); declared again from the start of the
      // stream, so the first event comes again too (a real subscriber's inbox drops the repeat).
      await eventually(
        "the event published after the deletion",
        () => recorder.handled,
        (ids) => ids.includes(second.id),
        20_000,
      );
      assert.ok(
        fixture.reported.some((r) => /the consumer is gone/.test(String(r.error))),
        "the deletion is reported",
      );
      await handle.stop();
    } finally {
      await nats.close();
      await fixture.drop();
    }
  },
);

test.run();
