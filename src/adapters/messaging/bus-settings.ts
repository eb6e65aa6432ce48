import type { DeadLetter } from "../../ports/event-bus.js";

/** Delivery rules shared by every event bus adapter. */
export interface DeliverySettings {
  /** Deliveries before an event goes to the dead letters (the first delivery counts). */
  readonly maxDeliver: number;
  /** Delay before redelivery after the n-th failed attempt; the last value repeats. */
  readonly backoffMs: readonly number[];
  /** How long a re-publish of the same event id is recognised and dropped. */
  readonly duplicateWindowMs: number;
  /**
   * Told once for each event a subscriber gave up on, after it is stored as a dead letter: nothing
   * else would say so, since the failed deliveries before it were expected retries.
   */
  readonly onDeadLetter: (letter: Omit<DeadLetter, "id">) => void;
  /**
   * Told each time a delivery failed and the event is to be delivered to the same subscriber again:
   * after a failure with deliveries left (`failure`), or during a dependency outage, which uses up
   * none (`outage`). With `onDeadLetter`, every failed delivery is told exactly once.
   */
  readonly onRetry: (retry: Retry) => void;
}

export interface Retry {
  readonly subscription: string;
  readonly cause: "failure" | "outage";
}

export const DELIVERY_DEFAULTS: DeliverySettings = {
  maxDeliver: 5,
  backoffMs: [100, 1000, 5000],
  duplicateWindowMs: 120_000,
  onDeadLetter: () => {},
  onRetry: () => {},
};

export function deliverySettings(options: Partial<DeliverySettings>): DeliverySettings {
  const settings = { ...DELIVERY_DEFAULTS, ...options };
  if (!Number.isInteger(settings.maxDeliver) || settings.maxDeliver < 1) {
    throw new Error(`maxDeliver must be a positive integer, got ${settings.maxDeliver}`);
  }
  if (settings.backoffMs.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    throw new Error("backoffMs must hold non-negative numbers");
  }
  return settings;
}

/** The delay before the attempt after `failedAttempt` (1-based). */
export function backoffAfter(settings: DeliverySettings, failedAttempt: number): number {
  const { backoffMs } = settings;
  return backoffMs[Math.min(failedAttempt, backoffMs.length) - 1] ?? 0;
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
