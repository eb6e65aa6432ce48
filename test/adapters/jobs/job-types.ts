import * as t from "io-ts";
import type { ClaimRequest } from "../../../src/ports/job-queue.js";
import type { JobType } from "../../../src/ports/jobs.js";

/**
 * Job types for the contract, with io-ts codecs given to the port as they are: that they compile is
 * the proof that keel's codecs fit PayloadCodec with no adapter.
 */
const Reminder = t.type({ orderId: t.string, note: t.string });
export const reminder: JobType<t.TypeOf<typeof Reminder>> = { name: "test.reminder", payload: Reminder };

const Report = t.type({ day: t.string });
export const report: JobType<t.TypeOf<typeof Report>> = {
  name: "test.report",
  payload: Report,
  retry: { maxAttempts: 4, backoffMs: 1_000, maxBackoffMs: 3_000 },
};

/** Tried once: its first failure is its last. */
export const oneShot: JobType<t.TypeOf<typeof Report>> = {
  name: "test.one-shot",
  payload: Report,
  retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0 },
};

export const ORDER = "4f1c2a3b-0000-4000-8000-000000000001";
export const MINUTE = 60_000;

export function claimOf(
  types: readonly { readonly name: string }[],
  limit = 10,
  leaseMs = 30_000,
): ClaimRequest {
  return { types: types.map((type) => type.name), limit, leaseMs, worker: "test-worker" };
}
