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
}
