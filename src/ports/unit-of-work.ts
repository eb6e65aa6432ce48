import type { EventMetadata } from "./event-log.js";
import { token } from "./token.js";

/**
 * Runs work in one transaction: every repository save inside `work` commits together with the events
 * it appends, or nothing does. The metadata is stamped on each event appended inside.
 */
export interface UnitOfWork {
  run<T>(metadata: EventMetadata, work: () => Promise<T>): Promise<T>;
}
export const UnitOfWork = token<UnitOfWork>("UnitOfWork");

/** Another writer saved the same aggregate first; the command may be retried on fresh state. */
export class ConcurrencyConflict extends Error {
  constructor(
    readonly aggregateType: string,
    readonly aggregateId: string,
    readonly expectedVersion: number,
  ) {
    super(`${aggregateType} ${aggregateId} changed since version ${expectedVersion} was read`);
    this.name = "ConcurrencyConflict";
  }
}
