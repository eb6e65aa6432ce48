import type { MemoryDatabase } from "./memory-database.js";

const STANDALONE = { correlationId: "standalone-write", principal: "system" } as const;

/**
 * Runs a write the way one SQL statement runs: inside the open unit of work, or in a transaction of
 * its own when there is none. Nothing it writes is an event, so the metadata is never recorded.
 */
export function standaloneWrite<T>(db: MemoryDatabase, write: () => Promise<T>): Promise<T> {
  return db.transaction(STANDALONE, write);
}
