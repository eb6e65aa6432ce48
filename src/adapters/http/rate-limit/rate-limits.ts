import type { Middleware } from "koa";
import type { LiveConfig } from "../../../ports/live-config.js";
import type { AppState } from "../app-state.js";
import type { Limit, LimiterStore, OnStoreFailure } from "./limiter-store.js";
import { LiveLimiter } from "./live-limiter.js";
import { type LoginThrottle, loginThrottle } from "./login-throttle.js";
import { addressLimit, rateLimit } from "./rate-limit-middleware.js";

/** The rate-limit settings, all live. */
export interface RateLimitSettings {
  readonly enabled: boolean;
  readonly onStoreFailure: OnStoreFailure;
  readonly ip: Limit;
  readonly principal: Limit;
  /** Routes that run a deliberately slow password hash, per client address. */
  readonly expensive: Limit;
  readonly login: { readonly usernamePoints: number; readonly ipPoints: number; readonly windowS: number };
}

/**
 * What the HTTP adapter applies: the per-request limits, the stricter one for routes that hash a
 * password (each such request costs tens of milliseconds of CPU, so the general limit would let one
 * address keep a core busy), and the token endpoint's login throttle.
 */
export interface RateLimits {
  readonly perRequest: Middleware<AppState>;
  readonly expensive: Middleware<AppState>;
  readonly login: LoginThrottle;
}

export function createRateLimits(
  store: LimiterStore,
  settings: LiveConfig<RateLimitSettings>,
  /** Told of each refusal with the refusing limit's name: ip, principal, expensive, login-username, login-ip. */
  onRefused: (limit: string) => void = () => {},
): RateLimits {
  const limiter = (name: string, limitOf: (s: RateLimitSettings) => Limit) =>
    new LiveLimiter(store, name, settings, limitOf, () => onRefused(name));
  const enabled = () => settings.get().enabled;
  return {
    perRequest: rateLimit({
      enabled,
      ip: limiter("ip", (s) => s.ip),
      principal: limiter("principal", (s) => s.principal),
    }),
    expensive: addressLimit({ enabled, limiter: limiter("expensive", (s) => s.expensive) }),
    login: loginThrottle({
      enabled,
      username: limiter("login-username", (s) => ({
        points: s.login.usernamePoints,
        windowS: s.login.windowS,
      })),
      ip: limiter("login-ip", (s) => ({ points: s.login.ipPoints, windowS: s.login.windowS })),
    }),
  };
}
