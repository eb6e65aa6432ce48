import { LOG_START, type LogCheckpoint } from "../../ports/event-log.js";
import type { LogWatcher, RelayCheckpoints, RelayLease } from "../../ports/relay-state.js";
import { WakeUps } from "../wake-ups.js";
import type { MemoryDatabase } from "./memory-database.js";

export class MemoryRelayCheckpoints implements RelayCheckpoints {
  private checkpoint: LogCheckpoint = LOG_START;

  async load(): Promise<LogCheckpoint> {
    return this.checkpoint;
  }

  async save(checkpoint: LogCheckpoint): Promise<void> {
    this.checkpoint = checkpoint;
  }
}

/**
 * One process holds everything in memory (or the embedded database's directory, which it locks), so
 * its relay is the only one: the lease is always granted. Re-entrant, like the PostgreSQL lease.
 */
export class InProcessRelayLease implements RelayLease {
  async tryAcquire(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}
}

/** Wakes on the memory store's commits, or after the timeout. */
export class MemoryLogWatcher implements LogWatcher {
  private readonly wakeUps = new WakeUps();
  private readonly unsubscribe: () => void;

  constructor(db: MemoryDatabase) {
    this.unsubscribe = db.onAppend(() => this.wakeUps.wakeAll());
  }

  wait(timeoutMs: number): Promise<void> {
    return this.wakeUps.sleep(timeoutMs);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.wakeUps.wakeAll();
  }
}
