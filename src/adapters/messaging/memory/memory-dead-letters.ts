import type { DeadLetter, DeadLetters } from "../../../ports/event-bus.js";
import { DeadLetterNotFound } from "../dead-letter-not-found.js";
import type { MemoryBusState } from "./memory-bus-state.js";

/** The dead letters of a MemoryEventBus; obtain it as `bus.deadLetters`. */
export class MemoryDeadLetters implements DeadLetters {
  constructor(private readonly state: MemoryBusState) {}

  async list(limit: number): Promise<DeadLetter[]> {
    return [...this.state.deadLetters.values()].slice(0, limit);
  }

  /** Appends the event for its subscription only, as a re-drive; other subscribers never see it again. */
  async redrive(id: string): Promise<void> {
    const letter = this.state.deadLetters.get(id);
    if (letter === undefined) throw new DeadLetterNotFound(id);
    this.state.deadLetters.delete(id);
    this.state.append({ event: letter.event, onlyFor: letter.subscription });
  }
}
