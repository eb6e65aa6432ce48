import type { EventLog, LogCheckpoint, RecordedEvent } from "../../ports/event-log.js";
import type { MemoryDatabase } from "./memory-database.js";

export class MemoryEventLog implements EventLog {
  constructor(private readonly db: MemoryDatabase) {}

  async history(aggregateType: string, aggregateId: string): Promise<RecordedEvent[]> {
    return this.db.history(aggregateType, aggregateId);
  }

  async readAfter(after: LogCheckpoint, limit: number): Promise<RecordedEvent[]> {
    return this.db.readAfter(after, limit);
  }

  async backlog(after: LogCheckpoint): Promise<{ events: number; oldestOccurredAt?: string }> {
    const pending = this.db.readAfter(after, Number.MAX_SAFE_INTEGER);
    const oldest = pending[0];
    return oldest === undefined
      ? { events: 0 }
      : { events: pending.length, oldestOccurredAt: oldest.occurredAt };
  }
}
