import { HttpError } from "../http-error.js";

/** A limit is exhausted: the caller may try again after `retryAfterSeconds`. */
export class RateLimited extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    /** RateLimit-* headers describing the limit that refused, when there is one to describe. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`too many requests; retry after ${retryAfterSeconds} s`);
    this.name = "RateLimited";
  }
}

/** How soon a client refused because the counter store is down should try again, in seconds. */
export const STORE_RETRY_AFTER_S = 5;

/** The counter store cannot be reached and RATE_LIMIT__ON_STORE_FAILURE=closed: refuse rather than guess. */
export class RateLimitUnavailable extends Error {
  constructor(options?: { cause?: unknown }) {
    super("rate limiting is unavailable; try again later", options);
    this.name = "RateLimitUnavailable";
  }
}

/** The standard envelope for either refusal: 429 with Retry-After, or 503. */
export function rateLimitHttpError(error: RateLimited | RateLimitUnavailable): HttpError {
  if (error instanceof RateLimitUnavailable) {
    const unavailable = new HttpError(503, "RATE_LIMIT_UNAVAILABLE", error.message, undefined, {
      "Retry-After": String(STORE_RETRY_AFTER_S),
    });
    // The error mapper's one line per window then says why (the open circuit, a timeout).
    unavailable.cause = error.cause;
    return unavailable;
  }
  return new HttpError(429, "RATE_LIMITED", error.message, undefined, {
    ...error.headers,
    "Retry-After": String(error.retryAfterSeconds),
  });
}
