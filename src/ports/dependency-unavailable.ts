/**
 * A dependency (the database, the bus, the counter store) cannot be reached or did not answer in
 * time. Not a bug and not the caller's fault: the request may succeed if retried later. Adapters
 * turn their driver's connection failures into this, so the core and HTTP need no driver codes;
 * HTTP answers 503 with Retry-After.
 */
export class DependencyUnavailable extends Error {
  constructor(
    /** Which dependency, as readiness names it: "database", "redis", "event-bus". */
    readonly dependency: string,
    /** When a retry is worth trying, in seconds. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`the ${dependency} is unavailable; retry later`, options);
    this.name = "DependencyUnavailable";
  }
}
