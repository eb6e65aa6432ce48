import type { RefreshTokens } from "../../ports/auth/refresh-tokens.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { Component } from "../lifecycle.js";

const HOUR_MS = 60 * 60 * 1000;

/**
 * How long a token is kept past its expiry: a rotated token replayed within it is still recognised
 * as a reuse and revokes its family; after it, the replay is just an unknown token.
 */
export const PURGE_GRACE_MS = 24 * HOUR_MS;
export const PURGE_INTERVAL_MS = HOUR_MS;

/** Runs `run` every `ms` until the returned function is called. */
export type Every = (ms: number, run: () => void) => () => void;

/** The timer never keeps the worker alive on its own; shutdown is the lifecycle's call. */
const every: Every = (ms, run) => {
  const timer = setInterval(run, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Deletes refresh tokens expired for longer than the grace period, at start and then hourly, so the
 * table does not grow with every sign-in and refresh forever. A failed purge is only a warning: the
 * next one catches up, and a full table is no reason to stop relaying events.
 */
export function refreshTokenPurge(
  refreshTokens: RefreshTokens,
  clock: Clock,
  logger: Logger,
  schedule: Every = every,
): Component {
  let cancel: (() => void) | undefined;
  let running: Promise<void> | undefined;
  const purge = async () => {
    const before = new Date(clock.now().getTime() - PURGE_GRACE_MS);
    try {
      const purged = await refreshTokens.purgeExpired(before);
      if (purged > 0) logger.info({ purged, before: before.toISOString() }, "purged expired refresh tokens");
    } catch (error) {
      logger.warn({ err: error }, "purging expired refresh tokens failed; the next run retries");
    }
  };
  // One purge at a time: a slow one is not joined by the next tick.
  const tick = () => {
    running ??= purge().finally(() => {
      running = undefined;
    });
    return running;
  };
  return {
    name: "refresh-token-purge",
    start: async () => {
      await tick();
      cancel = schedule(PURGE_INTERVAL_MS, () => void tick());
    },
    // Waits for a purge in flight, so the database it uses is not closed under it.
    stop: async () => {
      cancel?.();
      cancel = undefined;
      await running;
    },
  };
}
