import * as assert from "uvu/assert";
import {
  InProcessRelayLease,
  MemoryLogWatcher,
  MemoryRelayCheckpoints,
} from "../../../src/adapters/memory/memory-relay-state.js";
import { MemoryEventBus } from "../../../src/adapters/messaging/memory/memory-event-bus.js";
import { Relay } from "../../../src/application/messaging/relay.js";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import { relayLagCheck } from "../../../src/bootstrap/modules/worker-module.js";
import type { EventBus } from "../../../src/ports/event-bus.js";
import type { RecordedEvent } from "../../../src/ports/event-log.js";
import type { Logger } from "../../../src/ports/logger.js";
import type { RelayLease } from "../../../src/ports/relay-state.js";
import { eventually } from "../../support/eventually.js";
import { ctx, productHarness } from "../../support/product-harness.js";
import { test } from "../../support/uvu.js";

const quiet: Logger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quiet,
  isLevelEnabled: () => false,
};

async function given(
  commands: number,
  options: { bus?: EventBus; logger?: Logger; lease?: RelayLease } = {},
) {
  const harness = productHarness();
  const { id } = await harness.commands.dispatch(
    new CreateProduct(ctx, {
      name: "Relayed",
      sku: "REL-1",
      priceMinor: 1,
      currency: "EUR",
      initialStock: 100,
    }),
  );
  for (let i = 0; i < commands; i++) {
    await harness.commands.dispatch(new AdjustStock(ctx, { id, delta: 1, reason: `delivery ${i}` }));
  }
  const bus = new MemoryEventBus();
  const checkpoints = new MemoryRelayCheckpoints();
  const relay = new Relay(
    harness.eventLog,
    options.bus ?? bus,
    checkpoints,
    options.lease ?? new InProcessRelayLease(),
    new MemoryLogWatcher(harness.db),
    // The handlers' clock: moving it ages the logged events and moves the relay's now together.
    harness.clock,
    options.logger ?? quiet,
    { batchSize: 7, pollMs: 20, standbyMs: 20, maxRetryMs: 80 },
  );
  const seen: RecordedEvent[] = [];
  await bus.subscribe({
    name: "spy",
    eventTypes: ["product.created", "product.stock_adjusted"],
    handle: async (e) => void seen.push(e),
  });
  return { ...harness, id, bus, checkpoints, relay, seen };
}

/** A lease the test takes away and gives back; counts how often the relay asks for it. */
class ToggledLease implements RelayLease {
  held = true;
  asked = 0;
  async tryAcquire(): Promise<boolean> {
    this.asked += 1;
    return this.held;
  }
  async release(): Promise<void> {}
}

test("given an active relay whose lease is lost without a failed round, it stops publishing until it holds the lease again", async () => {
  const lease = new ToggledLease();
  const { relay, seen, commands, id } = await given(2, { lease });
  relay.start();
  try {
    await eventually(
      "the first events",
      async () => seen.length,
      (n) => n === 3,
    );
    lease.held = false;
    const askedWhenLost = lease.asked;
    await eventually(
      "the relay to ask for the lease again",
      async () => lease.asked,
      (n) => n >= askedWhenLost + 2,
    );
    await commands.dispatch(new AdjustStock(ctx, { id, delta: 1, reason: "while another relay leads" }));
    const askedAfterWrite = lease.asked;
    await eventually(
      "two more rounds without the lease",
      async () => lease.asked,
      (n) => n >= askedAfterWrite + 2,
    );
    assert.is(seen.length, 3, "nothing published without the lease");

    lease.held = true;
    await eventually(
      "the event published once the lease is back",
      async () => seen.length,
      (n) => n === 4,
    );
  } finally {
    await relay.stop();
  }
});

test("given 20 commands, the relay publishes every logged event once, in version order, and checkpoints the last", async () => {
  const { relay, seen, checkpoints, eventLog } = await given(20);
  relay.start();
  try {
    await eventually(
      "21 events delivered",
      async () => seen.length,
      (n) => n >= 21,
    );
    assert.equal(
      seen.map((e) => e.version),
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
    const log = await eventLog.readAfter({ transactionId: "0", position: 0 }, 100);
    assert.equal(
      seen.map((e) => e.id),
      log.map((e) => e.id),
      "same event ids as the log",
    );
    const last = log[log.length - 1];
    assert.equal(await checkpoints.load(), { transactionId: last?.transactionId, position: last?.position });
    assert.equal(await relay.lag(), { events: 0, seconds: 0 });
  } finally {
    await relay.stop();
  }
});

test("when the relay restarts from an old checkpoint, republished events are dropped by the bus, not delivered twice", async () => {
  const { relay, seen, checkpoints, commands, id } = await given(5);
  await relay.publishBatch();
  await eventually(
    "6 events delivered",
    async () => seen.length,
    (n) => n >= 6,
  );
  await checkpoints.save({ transactionId: "0", position: 0 });
  await commands.dispatch(new AdjustStock(ctx, { id, delta: 1, reason: "marker" }));
  assert.is(await relay.publishBatch(), 7, "the relay published the old six again, and the new one");
  // Delivery is in order, so once the new event has arrived, any duplicate would have arrived before it.
  await eventually(
    "the marker delivered",
    async () => seen.map((e) => e.version),
    (v) => v.includes(7),
  );
  assert.equal(
    seen.map((e) => e.version),
    [1, 2, 3, 4, 5, 6, 7],
    "each delivered once",
  );
});

test("a relay started while commands keep coming publishes the later events too (woken by appends)", async () => {
  const { relay, seen, commands, id } = await given(0);
  relay.start();
  try {
    for (let i = 0; i < 10; i++)
      await commands.dispatch(new AdjustStock(ctx, { id, delta: 1, reason: `late ${i}` }));
    await eventually(
      "11 events delivered",
      async () => seen.length,
      (n) => n >= 11,
    );
    assert.equal(
      seen.map((e) => e.version),
      Array.from({ length: 11 }, (_, i) => i + 1),
    );
  } finally {
    await relay.stop();
  }
});

/** A bus that has gone silent (a black-holed broker): publishes never settle. */
const hangingBus: EventBus = {
  publish: () => new Promise<void>(() => {}),
  subscribe: () => Promise.reject(new Error("not used")),
};

test("given a relay stuck on a silent bus while commands keep coming, its lag grows from the log and the relay-lag check turns down", async () => {
  const { relay, commands, id, clock } = await given(0, { bus: hangingBus });
  const check = relayLagCheck(relay, 60);
  relay.start();
  try {
    await check.check();
    for (let i = 0; i < 5; i++) {
      await commands.dispatch(new AdjustStock(ctx, { id, delta: 1, reason: `while stuck ${i}` }));
      clock.advance(30_000);
    }
    assert.equal(await relay.lag(), { events: 6, seconds: 150 }, "the creation and five adjustments");
    const failure = await check.check().then(
      () => "up",
      (error: Error) => error.message,
    );
    assert.is(failure, "6 events not published, the oldest 150 s old");
  } finally {
    // stop() waits for the round in progress, which never ends here; the relay is dropped instead.
    void relay.stop();
  }
});

test("given the relay has caught up, the relay-lag check is up however old the events are", async () => {
  const { relay, seen, clock } = await given(3);
  await relay.publishBatch();
  await eventually(
    "4 events delivered",
    async () => seen.length,
    (n) => n >= 4,
  );
  clock.advance(3_600_000);
  assert.equal(await relay.lag(), { events: 0, seconds: 0 });
  await relayLagCheck(relay, 60).check();
});

test("given a bus that refuses for a while, the relay retries after a growing pause (not at every append) and then publishes everything", async () => {
  const refusingUntil = Date.now() + 300;
  let refused = 0;
  const messages: string[] = [];
  const recording: Logger = {
    ...quiet,
    error: (_fields, message) => void messages.push(message),
    info: (_fields, message) => void messages.push(message),
    child: () => recording,
  };
  const inner = new MemoryEventBus();
  const refusing: EventBus = {
    publish: async (event) => {
      if (Date.now() < refusingUntil) {
        refused += 1;
        throw new Error("bus down");
      }
      await inner.publish(event);
    },
    subscribe: (subscription) => inner.subscribe(subscription),
  };
  const { relay, commands, id } = await given(0, { bus: refusing, logger: recording });
  const seen: RecordedEvent[] = [];
  await inner.subscribe({
    name: "spy",
    eventTypes: ["product.created", "product.stock_adjusted"],
    handle: async (e) => void seen.push(e),
  });
  relay.start();
  try {
    // An append every 5 ms while the bus refuses: each one wakes the relay's watcher.
    while (Date.now() < refusingUntil) {
      await commands.dispatch(new AdjustStock(ctx, { id, delta: 1, reason: "during the outage" }));
      await new Promise((done) => setTimeout(done, 5));
    }
    await eventually(
      "every logged event delivered",
      async () => ({ seen: seen.length, lag: await relay.lag() }),
      (s) => s.lag.events === 0 && s.seen > 1,
      2000,
    );
    // 20, 40, 80, 80, ... ms apart: about six rounds in 300 ms, where waking at every append made ~60.
    assert.ok(refused <= 12, `${refused} failed rounds in 300 ms`);
    assert.ok(messages.includes("relay round failed; retrying"));
    assert.ok(messages.includes("relay recovered"));
  } finally {
    await relay.stop();
  }
});

test.run();
