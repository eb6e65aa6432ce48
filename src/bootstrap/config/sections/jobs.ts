import { integer } from "../codecs.js";
import { setting } from "../define-config.js";

// Background jobs: what each worker's job runner takes on, and how long its claims hold.

export const jobsSettings = {
  concurrency: setting(integer(1, 256), {
    default: "4",
    live: false,
    description: "Jobs one worker runs at once; every worker replica adds as many.",
  }),
  pollMs: setting(integer(50, 60000), {
    default: "1000",
    live: false,
    description:
      "Longest wait before a worker looks for due jobs and fires due schedules again, in ms; on PostgreSQL a new job wakes the workers at once, so this paces retries and jobs due later.",
  }),
  leaseMs: setting(integer(1000, 3600000), {
    default: "30000",
    live: false,
    description:
      "How long a worker's claim on a job holds, in ms, renewed while the job runs: a crashed worker's job is retried by another after at most this.",
  }),
  stopTimeoutMs: setting(integer(0, 600000), {
    default: "10000",
    live: false,
    description:
      "On shutdown, how long running jobs get to finish before they are asked to stop, in ms (and as long again before they are left to their leases).",
  }),
};
