import { test } from "uvu";
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
import type { RecordedEvent } from "../../../src/ports/event-log.js";
import type { Logger } from "../../../src/ports/logger.js";
import { eventually } from "../../support/eventually.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { ctx, productHarness } from "../../support/product-harness.js";

const quiet: Logger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quiet,
  isLevelEnabled: () => false,
};

async function given(commands: number) {
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
    bus,
    checkpoints,
    new InProcessRelayLease(),
    new MemoryLogWatcher(harness.db),
    new FixedClock(),
    quiet,
    { batchSize: 7, pollMs: 20, standbyMs: 20 },
  );
  const seen: RecordedEvent[] = [];
  await bus.subscribe({
    name: "spy",
    eventTypes: ["product.created", "product.stock_adjusted"],
    handle: async (e) => void seen.push(e),
  });
  return { ...harness, id, bus, checkpoints, relay, seen };
}

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
    assert.equal(relay.currentLag(), { events: 0, seconds: 0 });
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

test.run();
