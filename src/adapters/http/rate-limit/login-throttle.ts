import { clientKey } from "./client-ip.js";
import type { LimiterSettings, LiveLimiter, Standing } from "./live-limiter.js";
import { RateLimited } from "./rate-limited.js";

/**
 * Brute-force protection for password logins (the OAuth2 token endpoint). Failures are counted per
 * username and per client address; once either has none left, attempts are refused until its
 * window ends, whatever the password. With the Redis store every instance sees the same counts.
 */
export interface LoginThrottle {
  /**
   * Before verifying a password. Rejects with RateLimited (carrying retryAfterSeconds) when the
   * username or the address is exhausted, or with RateLimitUnavailable when the store is down and
   * RATE_LIMIT__ON_STORE_FAILURE=closed.
   */
  check(username: string, ip: string): Promise<void>;
  /** After a wrong password (or an unknown username): one point from both counters. */
  failed(username: string, ip: string): Promise<void>;
  /** After a correct password: the username starts afresh; the address keeps its count. */
  succeeded(username: string, ip: string): Promise<void>;
}

export interface LoginLimiters<S extends LimiterSettings> {
  /** Read on every call: with limits off, nothing is checked or counted. */
  readonly enabled: () => boolean;
  readonly username: LiveLimiter<S>;
  readonly ip: LiveLimiter<S>;
}

/** `Alice@Example.com ` and `alice@example.com` are one account to an attacker, so one counter. */
export function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

export function loginThrottle<S extends LimiterSettings>(limiters: LoginLimiters<S>): LoginThrottle {
  return {
    check: async (username, ip) => {
      if (!limiters.enabled()) return;
      const standings = await Promise.all([
        limiters.username.peek(usernameKey(username)),
        limiters.ip.peek(clientKey(ip)),
      ]);
      const refusing = standings.filter((s) => !s.allowed);
      if (refusing.length > 0) throw new RateLimited(retryAfter(refusing));
    },
    failed: async (username, ip) => {
      if (!limiters.enabled()) return;
      await Promise.all([
        limiters.username.penalise(usernameKey(username)),
        limiters.ip.penalise(clientKey(ip)),
      ]);
    },
    succeeded: async (username) => {
      if (!limiters.enabled()) return;
      await limiters.username.reset(usernameKey(username));
    },
  };
}

function retryAfter(refusing: readonly Standing[]): number {
  return Math.max(1, Math.ceil(Math.max(...refusing.map((s) => s.resetMs)) / 1000));
}
