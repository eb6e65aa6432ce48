import { token } from "./token.js";

/** One dependency's readiness probe; `check` rejects (or throws) when the dependency is unusable. */
export interface HealthCheck {
  readonly name: string;
  /** A failing required check makes the whole service not ready. */
  readonly required: boolean;
  check(): Promise<void>;
}
export const HealthCheck = token<HealthCheck>("HealthCheck");

/**
 * A component that knows when it can no longer recover by itself (a client that gave up
 * reconnecting, a loop that died). Liveness fails while any says so, so the supervisor restarts the
 * process; an outage it is still riding out is readiness's business, not liveness's.
 */
export interface LivenessCheck {
  readonly name: string;
  /** Why the component is beyond recovery, or undefined while it is alive or still recovering. */
  beyondRecovery(): string | undefined;
}
export const LivenessCheck = token<LivenessCheck>("LivenessCheck");
