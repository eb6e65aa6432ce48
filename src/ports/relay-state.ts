import type { LogCheckpoint } from "./event-log.js";
import { token } from "./token.js";

/** Where the relay has published up to: the checkpoint of the last event the bus acknowledged. */
export interface RelayCheckpoints {
  load(): Promise<LogCheckpoint>;
  save(checkpoint: LogCheckpoint): Promise<void>;
}
export const RelayCheckpoints = token<RelayCheckpoints>("RelayCheckpoints");

/**
 * Only one relay may publish at a time (several would race on the checkpoint). The lease is held
 * until released or until its holder dies (a PostgreSQL advisory lock dies with its session).
 */
export interface RelayLease {
  /** True when this process now holds the lease; false when another does. */
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}
export const RelayLease = token<RelayLease>("RelayLease");

/** Wakes the relay when new events may have been committed (LISTEN/NOTIFY, or an in-process signal). */
export interface LogWatcher {
  /** Resolves at the next append signal, or after `timeoutMs` (the fallback poll), whichever is first. */
  wait(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}
export const LogWatcher = token<LogWatcher>("LogWatcher");
