import type { DeadLetter } from "../../../ports/event-bus.js";
import type { RecordedEvent } from "../../../ports/event-log.js";
import type { DeliverySettings } from "../bus-settings.js";

/** One stored message: an event for every matching subscription, or a re-drive for one of them. */
export interface LogEntry {
  readonly event: RecordedEvent;
  readonly onlyFor?: string;
}

/**
 * What the in-memory bus and its dead letters share, for the lifetime of the bus object: the
 * append-only log (the stream), the recently published ids (the duplicate window), and the dead
 * letters. Consumers keep their own positions into the log.
 */
export class MemoryBusState {
  readonly log: LogEntry[] = [];
  readonly deadLetters = new Map<string, DeadLetter>();
  private readonly publishedAt = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private lastDeadLetterId = 0;

  constructor(
    readonly settings: DeliverySettings,
    readonly now: () => Date,
  ) {}

  /** Appends unless the id was published within the duplicate window; says whether it appended. */
  publish(event: RecordedEvent): boolean {
    const at = this.now().getTime();
    this.forgetBefore(at - this.settings.duplicateWindowMs);
    if (this.publishedAt.has(event.id)) return false;
    this.publishedAt.set(event.id, at);
    this.append({ event });
    return true;
  }

  append(entry: LogEntry): void {
    this.log.push(entry);
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` on every append until the returned function is called. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addDeadLetter(letter: Omit<DeadLetter, "id">): void {
    this.lastDeadLetterId += 1;
    const id = String(this.lastDeadLetterId);
    this.deadLetters.set(id, { id, ...letter });
    this.settings.onDeadLetter(letter);
  }

  /** Insertion order is publication order, so expired ids are all at the front. */
  private forgetBefore(cutoff: number): void {
    for (const [id, at] of this.publishedAt) {
      if (at >= cutoff) return;
      this.publishedAt.delete(id);
    }
  }
}
