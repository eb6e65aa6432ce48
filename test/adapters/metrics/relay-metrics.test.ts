/**
 * The relay's counts of /metrics as the relay moves them: events the bus accepted, publishes it
 * refused (the relay retries them), and the outbox lag read from the log at each scrape. The relay,
 * the event log and the bus are the real ones (in memory); the bus refuses the first publish, as a
 * broker that is down does. The NATS case runs in test/bootstrap/worker-metrics.test.ts, on a worker
 * process whose broker is cut.
 */
import * as assert from "uvu/assert";
import {
  InProcessRelayLease,
  MemoryLogWatcher,
  MemoryRelayCheckpoints,
} from "../../../src/adapters/memory/memory-relay-state.js";
import { MemoryEventBus } from "../../../src/adapters/messaging/memory/memory-event-bus.js";
import { KeelMetrics } from "../../../src/adapters/metrics/keel-metrics.js";
import { countingPublishes } from "../../../src/adapters/metrics/measured-messaging.js";
import { Relay } from "../../../src/application/messaging/relay.js";
import { AdjustStock } from "../../../src/application/product/adjust-stock.js";
import { CreateProduct } from "../../../src/application/product/create-product.js";
import { DependencyUnavailable } from "../../../src/ports/dependency-unavailable.js";
import type { EventBus } from "../../../src/ports/event-bus.js";
import type { Logger } from "../../../src/ports/logger.js";
import { eventually } from "../../support/eventually.js";
import { sampled } from "../../support/exposition.js";
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

async function relayCounts(metrics: KeelMetrics) {
  const text = await metrics.exposition();
  return {
    published: sampled(text, "keel_relay_published_total"),
    failures: sampled(text, "keel_relay_publish_failures_total"),
    behind: sampled(text, "keel_outbox_events_behind"),
  };
}

test("given three events in the log and a bus that refuses the first publish, when the relay runs, then one failure and three accepted publishes are counted, and the lag goes from 3 to 0", async () => {
  const harness = productHarness();
  const { id } = await harness.commands.dispatch(
    new CreateProduct(ctx, {
      name: "Counted",
      sku: "CNT-1",
      priceMinor: 1,
      currency: "EUR",
      initialStock: 5,
    }),
  );
  for (let i = 0; i < 2; i++)
    await harness.commands.dispatch(new AdjustStock(ctx, { id, delta: 1, reason: `delivery ${i}` }));
  const bus = new MemoryEventBus();
  let refusals = 1;
  const downOnce: EventBus = {
    publish: async (event) => {
      if (refusals > 0) {
        refusals -= 1;
        throw new DependencyUnavailable("event-bus", 1);
      }
      await bus.publish(event);
    },
    subscribe: (subscription) => bus.subscribe(subscription),
  };
  const metrics = new KeelMetrics({ processDefaults: false });
  const relay = new Relay(
    harness.eventLog,
    countingPublishes(downOnce, metrics),
    new MemoryRelayCheckpoints(),
    new InProcessRelayLease(),
    new MemoryLogWatcher(harness.db),
    harness.clock,
    quiet,
    { batchSize: 7, pollMs: 20, standbyMs: 20, maxRetryMs: 80 },
  );
  metrics.watchRelayLag(() => relay.lag());

  assert.equal(await relayCounts(metrics), { published: 0, failures: 0, behind: 3 });
  relay.start();
  try {
    const counted = await eventually(
      "the relay to publish the three events",
      () => relayCounts(metrics),
      (counts) => counts.published === 3,
    );
    assert.equal(counted, { published: 3, failures: 1, behind: 0 });
  } finally {
    await relay.stop();
  }
});

test.run();
