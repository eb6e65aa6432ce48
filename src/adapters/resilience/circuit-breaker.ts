import type { Clock } from "../../ports/clock.js";

export type CircuitState = "closed" | "open";

/** What the owner logs: each change once, however many calls it refuses in between. */
export type CircuitChange =
  | { readonly state: "open"; readonly reason: string }
  | { readonly state: "closed"; readonly openMs: number; readonly probes: number };

/** Runs `task` once after `ms`; returns how to cancel it. Tests pass one driven by a fixed clock. */
export type Schedule = (ms: number, task: () => void) => () => void;

export interface CircuitBreakerOptions {
  /** The dependency, as readiness and the log name it ("redis"). */
  readonly name: string;
  /**
   * Asks the dependency whether it answers again (Redis: PING); resolving closes the circuit. It
   * must be bounded by a timeout of its own (the client's command timeout), or recovery could stall.
   */
  readonly probe: () => Promise<unknown>;
  /** How long after opening, and after each failed probe, the next probe runs, in ms. */
  readonly probeMs: number;
  /**
   * Which errors say the dependency is unhealthy (a timeout, a lost connection). Others — an answer
   * that says no, such as a Redis reply error — pass through and leave the circuit closed.
   */
  readonly isOutage: (error: unknown) => boolean;
  readonly onChange?: (change: CircuitChange) => void;
  readonly clock?: Clock;
  readonly schedule?: Schedule;
}

/** A call refused without being tried, because the dependency is known not to answer. */
export class CircuitOpen extends Error {
  constructor(
    readonly dependency: string,
    readonly since: Date,
    readonly reason: string,
  ) {
    super(`${dependency} circuit open since ${since.toISOString()} (${reason}); not tried`);
    this.name = "CircuitOpen";
  }
}

const realSchedule: Schedule = (ms, task) => {
  const timer = setTimeout(task, ms);
  // A probe alone never keeps a process alive; the owner's stop() cancels it anyway.
  timer.unref();
  return () => clearTimeout(timer);
};

const systemClock: Clock = { now: () => new Date() };

/**
 * Fails fast while a dependency is known to be down, instead of making every caller wait for its
 * timeout. Closed, calls go through; the first one that fails with an outage (or a `trip` from the
 * owner, say on a lost connection) opens the circuit. Open, calls are refused with CircuitOpen at
 * once, and a probe runs every `probeMs` until the dependency answers, which closes it. There is no
 * half-open state letting real calls through: the probe is the trial call, so no request pays for
 * finding out.
 */
export class CircuitBreaker {
  #state: CircuitState = "closed";
  #openedAt = new Date(0);
  #reason = "";
  #probes = 0;
  #cancelProbe: (() => void) | undefined;
  #stopped = false;
  readonly #clock: Clock;
  readonly #schedule: Schedule;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#schedule = options.schedule ?? realSchedule;
  }

  get state(): CircuitState {
    return this.#state;
  }

  /** Runs `operation` while closed; refuses at once while open. An outage error opens the circuit. */
  async run<T>(operation: () => Promise<T>): Promise<T> {
    this.assertClosed();
    try {
      return await operation();
    } catch (error) {
      if (this.options.isOutage(error)) this.trip(error);
      throw error;
    }
  }

  /** Throws CircuitOpen while open: for a caller (a readiness check) that only asks. */
  assertClosed(): void {
    if (this.#state === "open") throw new CircuitOpen(this.options.name, this.#openedAt, this.#reason);
  }

  /** Opens the circuit (once: tripping an open circuit changes nothing) and starts probing. */
  trip(cause: unknown): void {
    if (this.#state === "open" || this.#stopped) return;
    this.#state = "open";
    this.#openedAt = this.#clock.now();
    this.#reason = cause instanceof Error ? cause.message : String(cause);
    this.#probes = 0;
    this.options.onChange?.({ state: "open", reason: this.#reason });
    this.scheduleProbe();
  }

  /** No more probes or changes: the owner is shutting down. */
  stop(): void {
    this.#stopped = true;
    this.#cancelProbe?.();
    this.#cancelProbe = undefined;
  }

  private scheduleProbe(): void {
    this.#cancelProbe = this.#schedule(this.options.probeMs, () => void this.probe());
  }

  private async probe(): Promise<void> {
    this.#cancelProbe = undefined;
    if (this.#stopped || this.#state === "closed") return;
    this.#probes += 1;
    try {
      await this.options.probe();
    } catch {
      if (!this.#stopped) this.scheduleProbe();
      return;
    }
    if (this.#stopped) return;
    this.#state = "closed";
    this.options.onChange?.({
      state: "closed",
      openMs: this.#clock.now().getTime() - this.#openedAt.getTime(),
      probes: this.#probes,
    });
  }
}
