import { randomBytes, randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { DependencyUnavailable } from "../../../src/ports/dependency-unavailable.js";
import { type DeadLetter, PermanentFailure, type SubscriptionHandle } from "../../../src/ports/event-bus.js";
import type { RecordedEvent } from "../../../src/ports/event-log.js";
import { deferred } from "../../support/deferred.js";
import { eventually } from "../../support/eventually.js";
import { suite } from "../../support/uvu.js";
import { BUS_DRIVERS, busDecision, DELIVERY, type OpenBus, openBus } from "./bus-drivers.js";
import { Recorder } from "./recorder.js";

interface Context {
  open?: OpenBus;
  handles: SubscriptionHandle[];
}

/** A fresh context per test (its own event types and subscription names) in a shared bus. */
function scenario() {
  const tag = `t${randomBytes(4).toString("hex")}`;
  let position = 0;
  return {
    type: (name: string) => `${tag}.${name}`,
    name: (name: string) => `${tag}-${name}`,
    event(name: string, over: Partial<RecordedEvent> = {}): RecordedEvent {
      position += 1;
      return {
        id: randomUUID(),
        type: `${tag}.${name}`,
        aggregateType: "widget",
        aggregateId: randomUUID(),
        version: 1,
        occurredAt: "2026-03-01T12:00:00.000Z",
        data: { position, note: "ünïcode ✓" },
        position,
        transactionId: "1000",
        metadata: {
          correlationId: `corr-${tag}`,
          causationId: `cause-${position}`,
          principal: "user:42",
          trace: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
        },
        ...over,
      };
    },
  };
}

const deadLettersOf = async (open: OpenBus, subscription: string): Promise<DeadLetter[]> =>
  (await open.deadLetters.list(1000)).filter((d) => d.subscription === subscription);

for (const driver of BUS_DRIVERS) {
  const decision = await busDecision(driver);
  const s = suite<Context>(`EventBus [${driver}]`, { handles: [] });
  if (decision.run) {
    s.before(async (context) => {
      context.open = await openBus(driver);
    });
    s.after.each(async (context) => {
      await Promise.all(context.handles.map((h) => h.stop()));
      context.handles = [];
      assert.equal(context.open?.reported ?? [], [], "no error reported out of band");
    });
    s.after(async (context) => {
      await context.open?.close();
    });
  } else {
    console.log(`  EventBus [${driver}] skipped: ${decision.reason}`);
  }

  const it = (
    title: string,
    body: (open: OpenBus, subscribe: (r: Recorder) => Promise<SubscriptionHandle>) => Promise<void>,
  ) => {
    const run = async (context: Context) => {
      const { open } = context;
      if (open === undefined) throw new Error("bus not opened");
      await body(open, async (recorder) => {
        const handle = await open.bus.subscribe(recorder);
        context.handles.push(handle);
        return handle;
      });
    };
    if (decision.run) s(title, run);
    else s.skip(title, run);
  };

  it("given subscribers of two types, when an event is published, then only the subscriber of its type gets it, id, data and metadata intact", async (open, subscribe) => {
    const sc = scenario();
    const mine = new Recorder(sc.name("mine"), [sc.type("happened")]);
    const other = new Recorder(sc.name("other"), [sc.type("other")]);
    await subscribe(mine);
    await subscribe(other);
    const event = sc.event("happened");
    await open.bus.publish(event);
    await eventually(
      "delivery",
      () => mine.seen,
      (seen) => seen.length === 1,
    );
    assert.equal(mine.seen[0]?.event, event);
    assert.is(mine.seen[0]?.attempt, 1);
    // A later event of the other type reaching it shows it has gone past the first one.
    const later = sc.event("other");
    await open.bus.publish(later);
    await eventually(
      "the other type",
      () => other.handled,
      (ids) => ids.length > 0,
    );
    assert.equal(other.handled, [later.id]);
  });

  it("given events of one aggregate, when an earlier one fails once, then all are handled in version order", async (open, subscribe) => {
    const sc = scenario();
    const aggregateId = randomUUID();
    const events = [1, 2, 3, 4].map((version) => sc.event("changed", { aggregateId, version }));
    const recorder = new Recorder(sc.name("ordered"), [sc.type("changed")]);
    recorder.behaviour = (event, { attempt }) => {
      if (event.version === 2 && attempt === 1) throw new Error("transient");
    };
    await subscribe(recorder);
    for (const event of events) await open.bus.publish(event);
    await eventually(
      "all handled",
      () => recorder.handled,
      (ids) => ids.length === 4,
    );
    assert.equal(
      recorder.seen.map((s) => [s.event.version, s.attempt, s.outcome]),
      [
        [1, 1, "handled"],
        [2, 1, "failed"],
        [2, 2, "handled"],
        [3, 1, "handled"],
        [4, 1, "handled"],
      ],
    );
  });

  it("given an event published twice with the same id, then it is delivered once", async (open, subscribe) => {
    const sc = scenario();
    const recorder = new Recorder(sc.name("dedup"), [sc.type("happened")]);
    await subscribe(recorder);
    const event = sc.event("happened");
    await open.bus.publish(event);
    await open.bus.publish({ ...event });
    const marker = sc.event("happened");
    await open.bus.publish(marker);
    await eventually(
      "the marker",
      () => recorder.handled,
      (ids) => ids.includes(marker.id),
    );
    assert.equal(recorder.handled, [event.id, marker.id]);
  });

  it("given a handler that fails twice, then it is retried with attempts 1, 2, 3 and succeeds", async (open, subscribe) => {
    const sc = scenario();
    const recorder = new Recorder(sc.name("retry"), [sc.type("happened")]);
    recorder.behaviour = (_event, { attempt }) => {
      if (attempt < 3) throw new Error(`attempt ${attempt} fails`);
    };
    await subscribe(recorder);
    const event = sc.event("happened");
    await open.bus.publish(event);
    await eventually(
      "success",
      () => recorder.handled,
      (ids) => ids.length === 1,
    );
    assert.equal(recorder.attemptsOf(event.id), [1, 2, 3]);
    assert.equal(await deadLettersOf(open, recorder.name), []);
  });

  it("given a poison event, then it is dead-lettered after maxDeliver deliveries; once fixed, a redrive delivers it once to that subscription only", async (open, subscribe) => {
    const sc = scenario();
    const poisoned = new Recorder(sc.name("poisoned"), [sc.type("happened")]);
    poisoned.behaviour = () => {
      throw new Error("cannot digest this");
    };
    const healthy = new Recorder(sc.name("healthy"), [sc.type("happened")]);
    await subscribe(poisoned);
    await subscribe(healthy);
    const event = sc.event("happened");
    await open.bus.publish(event);
    const [letter] = await eventually(
      "a dead letter",
      () => deadLettersOf(open, poisoned.name),
      (letters) => letters.length === 1,
    );
    assert.equal(poisoned.attemptsOf(event.id), [1, 2, 3]);
    assert.equal(letter?.event, event);
    assert.is(letter?.subscription, poisoned.name);
    assert.is(letter?.deliveries, DELIVERY.maxDeliver);
    assert.match(letter?.reason ?? "", "cannot digest this");
    assert.ok(!Number.isNaN(Date.parse(letter?.failedAt ?? "")), "failedAt is a time");
    assert.equal(
      open.deadLettered.filter((told) => told.subscription === poisoned.name).map((told) => told.event.id),
      [event.id],
      "the bus told of the dead letter once",
    );

    poisoned.behaviour = () => {};
    await open.deadLetters.redrive(letter?.id ?? "");
    await eventually(
      "the redriven event",
      () => poisoned.handled,
      (ids) => ids.length === 1,
    );
    assert.equal(poisoned.handled, [event.id]);
    assert.equal(await deadLettersOf(open, poisoned.name), [], "the dead letter is gone");
    // The healthy subscriber reaching a later event shows the redrive was not sent to it.
    const marker = sc.event("happened");
    await open.bus.publish(marker);
    await eventually(
      "the marker",
      () => healthy.handled,
      (ids) => ids.includes(marker.id),
    );
    await eventually(
      "the marker",
      () => poisoned.handled,
      (ids) => ids.includes(marker.id),
    );
    assert.equal(healthy.handled, [event.id, marker.id]);
    assert.equal(poisoned.handled, [event.id, marker.id]);
  });

  it("given a handler whose dependency is down for longer than maxDeliver tries, then the event waits for it: handled once at the same attempt, no dead letter", async (open, subscribe) => {
    const sc = scenario();
    const recorder = new Recorder(sc.name("outage"), [sc.type("happened")]);
    let outageTries = DELIVERY.maxDeliver * 2;
    recorder.behaviour = () => {
      if (outageTries-- > 0) throw new DependencyUnavailable("database", 1);
    };
    await subscribe(recorder);
    const event = sc.event("happened");
    await open.bus.publish(event);
    await eventually(
      "the event handled once the outage is over",
      () => recorder.handled,
      (ids) => ids.length === 1,
      15_000,
    );
    assert.is(recorder.seen.length, DELIVERY.maxDeliver * 2 + 1, "retried through the whole outage");
    assert.equal([...new Set(recorder.attemptsOf(event.id))], [1], "an outage is not an attempt");
    assert.equal(await deadLettersOf(open, recorder.name), []);
  });

  it("given a handler throwing PermanentFailure, then the event is dead-lettered after one delivery", async (open, subscribe) => {
    const sc = scenario();
    const recorder = new Recorder(sc.name("permanent"), [sc.type("happened")]);
    recorder.behaviour = () => {
      throw new PermanentFailure("malformed widget");
    };
    await subscribe(recorder);
    const event = sc.event("happened");
    await open.bus.publish(event);
    const [letter] = await eventually(
      "a dead letter",
      () => deadLettersOf(open, recorder.name),
      (letters) => letters.length === 1,
    );
    assert.is(letter?.deliveries, 1);
    assert.match(letter?.reason ?? "", "malformed widget");
    assert.equal(letter?.event.id, event.id);
    assert.equal(recorder.attemptsOf(event.id), [1]);
  });

  it("given a subscription stopped and resumed under the same name, then it gets only what it had not acknowledged", async (open, subscribe) => {
    const sc = scenario();
    const first = new Recorder(sc.name("durable"), [sc.type("happened")]);
    const handle = await subscribe(first);
    const [e1, e2, e3, e4] = [1, 2, 3, 4].map(() => sc.event("happened"));
    if (e1 === undefined || e2 === undefined || e3 === undefined || e4 === undefined)
      throw new Error("events");
    await open.bus.publish(e1);
    await open.bus.publish(e2);
    await eventually(
      "the first two",
      () => first.handled,
      (ids) => ids.length === 2,
    );
    await handle.stop();
    await open.bus.publish(e3);
    await open.bus.publish(e4);
    const second = new Recorder(first.name, first.eventTypes);
    await subscribe(second);
    await eventually(
      "the last two",
      () => second.handled,
      (ids) => ids.length === 2,
    );
    assert.equal(first.handled, [e1.id, e2.id]);
    assert.equal(second.handled, [e3.id, e4.id]);
  });

  it("given a delivery in progress, when the subscription stops, then stop waits for it and it is not delivered again", async (open, subscribe) => {
    const sc = scenario();
    const started = deferred();
    const release = deferred();
    const first = new Recorder(sc.name("inflight"), [sc.type("happened")]);
    first.behaviour = async () => {
      started.resolve();
      await release.promise;
    };
    const handle = await subscribe(first);
    const event = sc.event("happened");
    await open.bus.publish(event);
    await started.promise;
    let handledWhenStopped: string[] | undefined;
    const stopped = handle.stop().then(() => {
      handledWhenStopped = [...first.handled];
    });
    release.resolve();
    await stopped;
    assert.equal(handledWhenStopped, [event.id]);
    const second = new Recorder(first.name, first.eventTypes);
    await subscribe(second);
    const marker = sc.event("happened");
    await open.bus.publish(marker);
    await eventually(
      "the marker",
      () => second.handled,
      (ids) => ids.length === 1,
    );
    assert.equal(second.handled, [marker.id]);
  });

  it("given two subscriptions with different names, then each gets every event", async (open, subscribe) => {
    const sc = scenario();
    const a = new Recorder(sc.name("fan-a"), [sc.type("happened"), sc.type("changed")]);
    const b = new Recorder(sc.name("fan-b"), [sc.type("happened"), sc.type("changed")]);
    await subscribe(a);
    await subscribe(b);
    const events = [sc.event("happened"), sc.event("changed"), sc.event("happened")];
    for (const event of events) await open.bus.publish(event);
    const ids = events.map((e) => e.id);
    await eventually(
      "a has all",
      () => a.handled,
      (seen) => seen.length === 3,
    );
    await eventually(
      "b has all",
      () => b.handled,
      (seen) => seen.length === 3,
    );
    assert.equal(a.handled, ids);
    assert.equal(b.handled, ids);
  });

  s.run();
}
