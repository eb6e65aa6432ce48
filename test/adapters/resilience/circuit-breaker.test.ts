import * as assert from "uvu/assert";
import {
  CircuitBreaker,
  type CircuitChange,
  CircuitOpen,
} from "../../../src/adapters/resilience/circuit-breaker.js";
import { ManualSchedule } from "../../support/manual-schedule.js";
import { rejects } from "../../support/rejects.js";
import { test } from "../../support/uvu.js";

const PROBE_MS = 1000;

class Timeout extends Error {}
class Refusal extends Error {}

/**
 * A breaker on a fixed clock whose probe answers as `dependency.up` says (or as `answers` does),
 * recording what it reports.
 */
function harness(answers?: () => Promise<void>) {
  const timers = new ManualSchedule();
  const changes: CircuitChange[] = [];
  const dependency = { up: false, probes: 0 };
  const breaker = new CircuitBreaker({
    name: "store",
    probeMs: PROBE_MS,
    probe: async () => {
      dependency.probes += 1;
      if (answers) return answers();
      if (!dependency.up) throw new Timeout("no answer");
    },
    isOutage: (error) => error instanceof Timeout,
    onChange: (change) => changes.push(change),
    clock: timers.clock,
    schedule: timers.schedule,
  });
  return { timers, changes, dependency, breaker };
}

const timingOut = () => Promise.reject(new Timeout("command timed out"));

test("given a closed circuit, calls run and an error that is not an outage leaves it closed", async () => {
  const { breaker, changes, timers } = harness();
  assert.is(await breaker.run(async () => 42), 42);
  await rejects(() => breaker.run(() => Promise.reject(new Refusal("wrong type"))), Refusal);
  assert.is(breaker.state, "closed");
  assert.equal(changes, []);
  assert.is(timers.pending, 0, "nothing probes a healthy dependency");
});

test("when a call times out, the circuit opens once and later calls are refused without being tried", async () => {
  const { breaker, changes } = harness();
  await rejects(() => breaker.run(timingOut), Timeout);
  assert.is(breaker.state, "open");
  let tried = 0;
  for (let i = 0; i < 100; i++) {
    await rejects(
      () =>
        breaker.run(async () => {
          tried += 1;
        }),
      CircuitOpen,
    );
  }
  assert.is(tried, 0);
  assert.throws(
    () => breaker.assertClosed(),
    (e: unknown) => e instanceof CircuitOpen,
  );
  assert.equal(changes, [{ state: "open", reason: "command timed out" }], "one change, not one per call");
});

test("given an open circuit, a probe runs every probeMs until the dependency answers, which closes it", async () => {
  const { breaker, changes, dependency, timers } = harness();
  breaker.trip(new Timeout("connection lost"));
  await timers.advance(PROBE_MS - 1);
  assert.is(dependency.probes, 0, "no probe before probeMs");
  await timers.advance(1);
  assert.is(dependency.probes, 1);
  await timers.advance(2 * PROBE_MS);
  assert.is(dependency.probes, 3);
  assert.is(breaker.state, "open", "failed probes keep it open");

  dependency.up = true;
  await timers.advance(PROBE_MS);
  assert.is(breaker.state, "closed");
  assert.equal(changes, [
    { state: "open", reason: "connection lost" },
    { state: "closed", openMs: 4 * PROBE_MS, probes: 4 },
  ]);
  assert.is(await breaker.run(async () => "through"), "through");
  await timers.advance(10 * PROBE_MS);
  assert.is(dependency.probes, 4, "a closed circuit stops probing");
});

test("when tripped again while open, nothing changes: one report, one probe schedule", async () => {
  const { breaker, changes, timers } = harness();
  breaker.trip(new Timeout("first"));
  breaker.trip(new Timeout("second"));
  await rejects(() => breaker.run(timingOut), CircuitOpen);
  assert.equal(changes, [{ state: "open", reason: "first" }]);
  assert.is(timers.pending, 1);
});

test("given a circuit that closed, a new outage opens it again and is reported again", async () => {
  const { breaker, changes, dependency, timers } = harness();
  breaker.trip(new Timeout("first outage"));
  dependency.up = true;
  await timers.advance(PROBE_MS);
  await rejects(() => breaker.run(timingOut), Timeout);
  assert.equal(
    changes.map((c) => c.state),
    ["open", "closed", "open"],
  );
});

test("when stopped, no probe runs any more", async () => {
  const { breaker, dependency, timers } = harness();
  breaker.trip(new Timeout("down"));
  breaker.stop();
  await timers.advance(5 * PROBE_MS);
  assert.is(dependency.probes, 0);
  assert.is(timers.pending, 0);
});

test("when stopped while a probe is under way, its answer closes nothing", async () => {
  const { breaker, changes, dependency, timers } = harness(
    () => new Promise<void>((resolve) => (answer = resolve)),
  );
  let answer: () => void = () => undefined;
  breaker.trip(new Timeout("down"));
  await timers.advance(PROBE_MS);
  assert.is(dependency.probes, 1);
  breaker.stop();
  answer();
  await timers.advance(0);
  assert.is(breaker.state, "open");
  assert.equal(
    changes.map((c) => c.state),
    ["open"],
  );
});

test.run();
