import type { RecordedEvent } from "./event-log.js";
import { token } from "./token.js";

/** Applies one event to a read model being rebuilt. */
export type Apply = (event: RecordedEvent) => Promise<void>;

/**
 * A read model that can be rebuilt from the event log into a fresh copy while the live one keeps
 * serving, then swapped in. Applying runs inside a unit of work.
 */
export interface ReadModelRebuild {
  readonly name: string;
  /** Creates the empty copy and returns how to apply events to it. */
  start(): Promise<Apply>;
  /**
   * Blocks writers of the live model, lets `catchUp` apply what was appended meanwhile, then
   * replaces the live model with the copy — all in one transaction.
   */
  swap(catchUp: () => Promise<void>): Promise<void>;
}
export const ReadModelRebuilds = token<ReadModelRebuild>("ReadModelRebuilds");
