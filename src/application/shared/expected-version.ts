import { Refusal } from "./refusal.js";

/**
 * A conditional write: the client read the aggregate at one of these versions (usually one) and wants
 * its change applied only if nobody has changed the aggregate since. Absent, the write is unconditional.
 * An empty list names no version of this aggregate, so nothing satisfies it.
 */
export type ExpectedVersions = readonly number[];

/**
 * The aggregate is no longer at the version the write was based on. Unlike a ConcurrencyConflict,
 * which the unit of work retries on fresh state, this is final: running the command again on fresh
 * state is exactly the lost update the client asked to prevent.
 */
export class VersionMismatch extends Refusal {
  readonly code = "PRECONDITION_FAILED";

  constructor(
    readonly resource: string,
    readonly id: string,
    readonly currentVersion: number,
  ) {
    super(
      `${resource} ${id} is now at version ${currentVersion}, not the version this change was based on; read it again`,
    );
  }
}

/**
 * Refuses the write unless the aggregate, as loaded inside the unit of work, is at an expected
 * version. Checked against the loaded aggregate, the condition holds for what is saved: if another
 * writer commits in between, the save fails with a ConcurrencyConflict, the handler runs again on the
 * newer state, and this check refuses it.
 */
export function ensureExpectedVersion(
  resource: string,
  aggregate: { readonly id: string; readonly version: number },
  expected: ExpectedVersions | undefined,
): void {
  if (expected !== undefined && !expected.includes(aggregate.version)) {
    throw new VersionMismatch(resource, aggregate.id, aggregate.version);
  }
}
