import type { RateLimitSettings } from "../../../../src/adapters/http/rate-limit/rate-limits.js";
import type { LiveConfig } from "../../../../src/ports/live-config.js";

export const SETTINGS: RateLimitSettings = {
  enabled: true,
  onStoreFailure: "open",
  ip: { points: 100, windowS: 60 },
  principal: { points: 100, windowS: 60 },
  expensive: { points: 100, windowS: 60 },
  login: { usernamePoints: 3, ipPoints: 5, windowS: 60 },
};

/** Settings a test changes as a SIGHUP reload would: subscribers hear of every change. */
export interface SettableSettings extends LiveConfig<RateLimitSettings> {
  set(change: (current: RateLimitSettings) => RateLimitSettings): void;
}

export function liveSettings(initial: Partial<RateLimitSettings> = {}): SettableSettings {
  let current: RateLimitSettings = { ...SETTINGS, ...initial };
  const listeners = new Set<(next: RateLimitSettings, previous: RateLimitSettings) => void>();
  return {
    get: () => current,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set: (change) => {
      const previous = current;
      current = change(current);
      for (const listener of listeners) listener(current, previous);
    },
  };
}
