import type { RefreshTokens } from "../../ports/auth/refresh-tokens.js";
import type { Clock } from "../../ports/clock.js";
import type { Schedule } from "../../ports/job-schedules.js";
import { type JobType, NO_PAYLOAD } from "../../ports/jobs.js";
import type { Logger } from "../../ports/logger.js";
import type { JobHandler } from "../jobs/job-handler.js";

const HOUR_MS = 60 * 60 * 1000;

/**
 * How long a token is kept past its expiry: a rotated token replayed within it is still recognised
 * as a reuse and revokes its family; after it, the replay is just an unknown token.
 */
export const PURGE_GRACE_MS = 24 * HOUR_MS;

/** Tried three times a few minutes apart; a purge missed altogether is caught up by the next hour's. */
export const refreshTokenPurgeJob: JobType<Record<string, never>> = {
  name: "auth.refresh-token-purge",
  payload: NO_PAYLOAD,
  retry: { maxAttempts: 3, backoffMs: 60_000, maxBackoffMs: 5 * 60_000 },
};

/**
 * Hourly, on the hour. One firing makes one job for every worker together (the schedule store hands
 * each firing to one), and a firing whose job has not finished adds none, so purges never pile up.
 */
export const refreshTokenPurgeSchedule: Schedule<Record<string, never>> = {
  name: "auth.refresh-token-purge",
  cron: "0 * * * *",
  timeZone: "UTC",
  job: refreshTokenPurgeJob,
  payload: {},
};

/**
 * Deletes refresh tokens expired for longer than the grace period, so the table does not grow with
 * every sign-in and refresh forever. Run again, it deletes nothing more: harmless.
 */
export class RefreshTokenPurge implements JobHandler<Record<string, never>> {
  readonly job = refreshTokenPurgeJob;

  constructor(
    private readonly refreshTokens: RefreshTokens,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async handle(): Promise<void> {
    const before = new Date(this.clock.now().getTime() - PURGE_GRACE_MS);
    const purged = await this.refreshTokens.purgeExpired(before);
    if (purged > 0)
      this.logger.info({ purged, before: before.toISOString() }, "purged expired refresh tokens");
  }
}
