import type { Schedule } from "../../src/adapters/resilience/circuit-breaker.js";
import { FixedClock } from "./fixed-clock.js";

interface Task {
  readonly at: number;
  readonly run: () => void;
}

/**
 * Timers on a fixed clock: `schedule` records a task, `advance` moves the clock and runs what falls
 * due on the way, in time order, letting each task's promises settle before the next.
 */
export class ManualSchedule {
  readonly clock = new FixedClock();
  readonly #tasks = new Set<Task>();

  readonly schedule: Schedule = (ms, run) => {
    const task = { at: this.now() + ms, run };
    this.#tasks.add(task);
    return () => this.#tasks.delete(task);
  };

  /** Tasks waiting to run. */
  get pending(): number {
    return this.#tasks.size;
  }

  async advance(ms: number): Promise<void> {
    const until = this.now() + ms;
    for (;;) {
      const next = [...this.#tasks].filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      this.#tasks.delete(next);
      this.clock.advance(next.at - this.now());
      next.run();
      await settled();
    }
    this.clock.advance(until - this.now());
    await settled();
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

/** Lets every promise callback queued so far (and those they queue) run. */
function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
