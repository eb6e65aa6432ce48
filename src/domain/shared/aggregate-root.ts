import type { DomainEvent } from "./domain-event.js";

/** Applies one event to the state before it; pure, so replaying the log rebuilds the same state. */
export type Evolve<TState, TEvent extends DomainEvent> = (state: TState | undefined, event: TEvent) => TState;

/** An event as the aggregate proposes it; `record` stamps the version. Distributes over unions. */
export type Unversioned<TEvent> = TEvent extends unknown ? Omit<TEvent, "version"> : never;

/**
 * Base for event-recording aggregates. Every change goes through `record`, which applies the event
 * with `evolve` and keeps it as pending until the repository has stored it.
 */
export abstract class AggregateRoot<TState, TEvent extends DomainEvent> {
  #state: TState | undefined;
  #version: number;
  #pending: TEvent[] = [];

  protected constructor(
    private readonly evolve: Evolve<TState, TEvent>,
    state: TState | undefined,
    version: number,
  ) {
    this.#state = state;
    this.#version = version;
  }

  /** Rebuilds state by folding the history through `evolve`, exactly as loading from the log does. */
  protected static fold<TState, TEvent extends DomainEvent>(
    evolve: Evolve<TState, TEvent>,
    history: readonly TEvent[],
  ): { state: TState; version: number } {
    let state: TState | undefined;
    let version = 0;
    for (const event of history) {
      if (event.version !== version + 1) {
        throw new Error(`history out of order: expected version ${version + 1}, got ${event.version}`);
      }
      state = evolve(state, event);
      version = event.version;
    }
    if (state === undefined) throw new Error("cannot rebuild an aggregate from an empty history");
    return { state, version };
  }

  get version(): number {
    return this.#version;
  }

  /** The version the store holds, before the pending events: what optimistic concurrency checks. */
  get persistedVersion(): number {
    return this.#version - this.#pending.length;
  }

  get pendingEvents(): readonly TEvent[] {
    return this.#pending;
  }

  /** Called by the repository once the pending events are stored. */
  markPersisted(): void {
    this.#pending = [];
  }

  protected get state(): TState {
    if (this.#state === undefined) throw new Error("an aggregate has no state before its first event");
    return this.#state;
  }

  protected record(event: Unversioned<TEvent>): void {
    const versioned = { ...event, version: this.#version + 1 } as TEvent;
    this.#state = this.evolve(this.#state, versioned);
    this.#version = versioned.version;
    this.#pending.push(versioned);
  }
}
