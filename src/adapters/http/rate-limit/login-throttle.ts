import { clientKey } from "./client-ip.js";
import type { LimiterSettings, LiveLimiter, Standing } from "./live-limiter.js";
import { RateLimited } from "./rate-limited.js";

/**
 * Brute-force protection for password logins (the OAuth2 token endpoint). Attempts are counted per
 * username and per client address, and a success gives them back; once either has none left,
 * attempts are refused until its window ends, whatever the password. With the Redis store every instance sees the same counts.
 */
export interface LoginThrottle {
  /**
   * Before verifying a password: counts the attempt against the username and the address at once,
   * atomically, and rejects with RateLimited (carrying retryAfterSeconds) when either is over its
   * limit, or with RateLimitUnavailable when the store is down and RATE_LIMIT__ON_STORE_FAILURE=closed.
   * Counting first means attempts sent in parallel cannot all slip through before any is counted.
   */
  attempt(username: string, ip: string): Promise<void>;
  /** After a correct password: the username starts afresh and the address gets its point back. */
  succeeded(username: string, ip: string): Promise<void>;
  /**
   * After an attempt that could not be judged (the database was unavailable): the username and the
   * address each get their point back, since no password was checked, so an outage locks no one out.
   */
  refund(username: string, ip: string): Promise<void>;
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
    attempt: async (username, ip) => {
      if (!limiters.enabled()) return;
      const standings = await Promise.all([
        limiters.username.consume(usernameKey(username)),
        limiters.ip.consume(clientKey(ip)),
      ]);
      const refusing = standings.filter((s) => !s.allowed);
      if (refusing.length > 0) throw new RateLimited(retryAfter(refusing));
    },
    succeeded: async (username, ip) => {
      if (!limiters.enabled()) return;
      await Promise.all([limiters.username.reset(usernameKey(username)), limiters.ip.reward(clientKey(ip))]);
    },
    refund: async (username, ip) => {
      if (!limiters.enabled()) return;
      await Promise.all([limiters.username.reward(usernameKey(username)), limiters.ip.reward(clientKey(ip))]);
    },
  };
}

function retryAfter(refusing: readonly Standing[]): number {
  return Math.max(1, Math.ceil(Math.max(...refusing.map((s) => s.resetMs)) / 1000));
}
