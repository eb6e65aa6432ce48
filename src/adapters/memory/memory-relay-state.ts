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

/** One process holds everything in memory, so its relay is the only one; the lease is a flag. */
export class InProcessRelayLease implements RelayLease {
  private held = false;

  async tryAcquire(): Promise<boolean> {
    if (this.held) return false;
    this.held = true;
    return true;
  }

  async release(): Promise<void> {
    this.held = false;
  }
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
