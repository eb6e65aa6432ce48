import type { EventMetadata } from "../../ports/event-log.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import type { MemoryDatabase } from "./memory-database.js";

export class MemoryUnitOfWork implements UnitOfWork {
  constructor(private readonly db: MemoryDatabase) {}

  run<T>(metadata: EventMetadata, work: () => Promise<T>): Promise<T> {
    return this.db.transaction(metadata, work);
  }
}
