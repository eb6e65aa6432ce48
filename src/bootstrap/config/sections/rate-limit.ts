import { boolean, integer, oneOf, redisUrl } from "../codecs.js";
import { setting } from "../define-config.js";

// Rate limits and the Redis they share.

export const rateLimitSettings = {
  enabled: setting(boolean, {
    default: "true",
    live: true,
    description: "Apply the rate limits below.",
  }),
  store: setting(oneOf(["memory", "redis"]), {
    default: { development: "memory", test: "memory", production: "redis" },
    live: false,
    description: "Where counters live: per process, or in Redis shared by every instance.",
  }),
  onStoreFailure: setting(oneOf(["open", "closed"]), {
    default: "open",
    live: true,
    description:
      "When Redis is unreachable: open falls back to per-process counters, closed refuses with 503.",
  }),
  ip: {
    points: setting(integer(1, 1000000), {
      default: "600",
      live: true,
      description: "Requests per client IP per window, across the API.",
    }),
    windowS: setting(integer(1, 86400), {
      default: "60",
      live: true,
      description: "Window of the IP limit, in seconds.",
    }),
  },
  principal: {
    points: setting(integer(1, 1000000), {
      default: "1200",
      live: true,
      description: "Requests per signed-in user or API key per window.",
    }),
    windowS: setting(integer(1, 86400), {
      default: "60",
      live: true,
      description: "Window of the per-principal limit, in seconds.",
    }),
  },
  expensive: {
    points: setting(integer(1, 1000000), {
      default: "20",
      live: true,
      description:
        "Requests per client address per window to routes that hash a password (registration, password change).",
    }),
    windowS: setting(integer(1, 86400), {
      default: "900",
      live: true,
      description: "Window of the limit on password-hashing routes, in seconds.",
    }),
  },
  login: {
    usernamePoints: setting(integer(1, 10000), {
      default: "5",
      live: true,
      description: "Failed password logins per username per window before 429 (brute force).",
    }),
    ipPoints: setting(integer(1, 100000), {
      default: "50",
      live: true,
      description: "Failed password logins per client IP per window before 429.",
    }),
    windowS: setting(integer(1, 86400), {
      default: "900",
      live: true,
      description: "Window of the login limits, in seconds.",
    }),
  },
};

export const redisSettings = {
  url: setting(redisUrl, {
    default: "redis://127.0.0.1:6379",
    live: false,
    secret: true,
    description: "Redis server (RATE_LIMIT__STORE=redis, CACHE__DRIVER=redis).",
  }),
  commandTimeoutMs: setting(integer(50, 60000), {
    default: "1000",
    live: false,
    description:
      "How long one Redis command may wait for its reply, in ms; one that times out opens the circuit breaker.",
  }),
  probeMs: setting(integer(100, 60000), {
    default: "1000",
    live: false,
    description:
      "While the circuit breaker is open, how often a PING checks whether Redis answers again, in ms.",
  }),
};
