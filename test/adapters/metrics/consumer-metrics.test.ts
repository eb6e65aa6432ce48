/**
 * The consumer counts of /metrics as the buses move them: every delivery processed or failed, every
 * retry by cause, every dead letter, per subscriber, on the in-process bus and on NATS JetStream (its
 * run skipped with the reason locally when NATS is not there, required under CI=true). Wired as the
 * worker wires them: the subscription counted by countingDeliveries, the bus told deliveryCounts.
 */
import { randomBytes, randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { KeelMetrics } from "../../../src/adapters/metrics/keel-metrics.js";
import { countingDeliveries, deliveryCounts } from "../../../src/adapters/metrics/measured-messaging.js";
import { DependencyUnavailable } from "../../../src/ports/dependency-unavailable.js";
import type { SubscriptionHandle } from "../../../src/ports/event-bus.js";
import type { RecordedEvent } from "../../../src/ports/event-log.js";
import { eventually } from "../../support/eventually.js";
import { sampled } from "../../support/exposition.js";
import { suite } from "../../support/uvu.js";
import { BUS_DRIVERS, busDecision, DELIVERY, type OpenBus, openBus } from "../messaging/bus-drivers.js";
import { Recorder } from "../messaging/recorder.js";

interface Context {
  metrics: KeelMetrics;
  open?: OpenBus;
  handles: SubscriptionHandle[];
}

/** Names of the test's own: its event type and subscribers, in a bus the driver's tests share. */
function scenario() {
  const tag = `m${randomBytes(4).toString("hex")}`;
  return {
    type: `${tag}.happened`,
    name: (name: string) => `${tag}-${name}`,
    event(): RecordedEvent {
      return {
        id: randomUUID(),
        type: `${tag}.happened`,
        aggregateType: "widget",
        aggregateId: randomUUID(),
        version: 1,
        occurredAt: new Date().toISOString(),
        data: {},
        position: 1,
        transactionId: "1000",
        metadata: { correlationId: `corr-${tag}`, principal: "system" },
      };
    },
  };
}

/** A subscriber's counts as a scrape shows them (undefined: no such series yet). */
async function countsOf(metrics: KeelMetrics, subscription: string) {
  const text = await metrics.exposition();
  const of = (name: string, labels: Record<string, string> = {}) =>
    sampled(text, name, { subscription, ...labels });
  return {
    processed: of("keel_consumer_deliveries_total", { outcome: "processed" }),
    failed: of("keel_consumer_deliveries_total", { outcome: "failed" }),
    retriedAfterFailure: of("keel_consumer_retries_total", { cause: "failure" }),
    retriedThroughOutage: of("keel_consumer_retries_total", { cause: "outage" }),
    deadLettered: of("keel_consumer_dead_letters_total"),
  };
}

for (const driver of BUS_DRIVERS) {
  const decision = await busDecision(driver);
  const s = suite<Context>(`consumer metrics [${driver}]`, {
    metrics: new KeelMetrics({ processDefaults: false }),
    handles: [],
  });
  if (decision.run) {
    s.before(async (context) => {
      context.open = await openBus(driver, deliveryCounts(context.metrics));
    });
    s.after.each(async (context) => {
      await Promise.all(context.handles.splice(0).map((handle) => handle.stop()));
      assert.equal(context.open?.reported ?? [], [], "no error reported out of band");
    });
    s.after(async (context) => {
      await context.open?.close();
    });
  } else {
    console.log(`  consumer metrics [${driver}] skipped: ${decision.reason}`);
  }

  const it = (title: string, body: (context: Context & { open: OpenBus }) => Promise<void>) => {
    const run = async (context: Context) => {
      const { open } = context;
      if (open === undefined) throw new Error("bus not opened");
      await body({ ...context, open });
    };
    if (decision.run) s(title, run);
    else s.skip(title, run);
  };

  /** Subscribes the recorder as the worker subscribes a handler: counted. */
  const subscribe = async (context: Context & { open: OpenBus }, recorder: Recorder) => {
    context.handles.push(await context.open.bus.subscribe(countingDeliveries(recorder, context.metrics)));
  };

  it(`given a subscriber that fails once and one that always fails (max deliver ${DELIVERY.maxDeliver}), when an event reaches both, then each has its own processed, retried and dead-lettered counts`, async (context) => {
    const sc = scenario();
    const flaky = new Recorder(sc.name("flaky"), [sc.type]);
    flaky.behaviour = (_, { attempt }) => {
      if (attempt === 1) throw new Error("transient");
    };
    const doomed = new Recorder(sc.name("doomed"), [sc.type]);
    doomed.behaviour = () => {
      throw new Error("never works");
    };
    await subscribe(context, flaky);
    await subscribe(context, doomed);
    await context.open.bus.publish(sc.event());

    await eventually(
      "the flaky subscriber to process the event and the doomed one to dead-letter it",
      async () => [await countsOf(context.metrics, flaky.name), await countsOf(context.metrics, doomed.name)],
      ([f, d]) => f?.processed === 1 && d?.deadLettered === 1,
    );
    assert.equal(await countsOf(context.metrics, flaky.name), {
      processed: 1,
      failed: 1,
      retriedAfterFailure: 1,
      retriedThroughOutage: undefined,
      deadLettered: undefined,
    });
    assert.equal(await countsOf(context.metrics, doomed.name), {
      processed: undefined,
      failed: DELIVERY.maxDeliver,
      retriedAfterFailure: DELIVERY.maxDeliver - 1,
      retriedThroughOutage: undefined,
      deadLettered: 1,
    });
    assert.equal(doomed.attemptsOf(doomed.seen[0]?.event.id ?? ""), [1, 2, 3], "the bus did as counted");
  });

  it("given a subscriber whose dependency is down on the first try, when the event is handled on the next, then the retry counts as an outage and uses up no delivery", async (context) => {
    const sc = scenario();
    const recorder = new Recorder(sc.name("outage"), [sc.type]);
    let tries = 0;
    recorder.behaviour = () => {
      tries += 1;
      if (tries === 1) throw new DependencyUnavailable("database", 1);
    };
    await subscribe(context, recorder);
    await context.open.bus.publish(sc.event());

    await eventually(
      "the event to be processed",
      () => countsOf(context.metrics, recorder.name),
      (counts) => counts.processed === 1,
    );
    assert.equal(await countsOf(context.metrics, recorder.name), {
      processed: 1,
      failed: 1,
      retriedAfterFailure: undefined,
      retriedThroughOutage: 1,
      deadLettered: undefined,
    });
    assert.equal(
      recorder.seen.map((seen) => seen.attempt),
      [1, 1],
      "the same attempt again",
    );
  });

  s.run();
}
