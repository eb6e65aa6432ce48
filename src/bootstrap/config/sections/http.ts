import { boolean, integer, nonEmptyString, oneOf, optionalIsoDate, origins } from "../codecs.js";
import { family, setting } from "../define-config.js";

// HTTP: the listener, proxies, CORS, API versions and feature flags.

export const httpSettings = {
  host: setting(nonEmptyString, {
    default: "0.0.0.0",
    live: false,
    description: "Interface the HTTP server listens on.",
  }),
  port: setting(integer(0, 65535), {
    default: "3000",
    live: false,
    description: "HTTP port; 0 picks a free one (tests).",
  }),
  bodyLimitBytes: setting(integer(1, 104857600), {
    default: "1048576",
    live: false,
    description: "Largest request body accepted, in bytes.",
  }),
  shutdownTimeoutMs: setting(integer(0, 600000), {
    default: "10000",
    live: false,
    description: "How long a graceful shutdown waits for in-flight requests, in ms.",
  }),
  drainDelayMs: setting(integer(0, 600000), {
    default: "0",
    live: false,
    description:
      "On shutdown, how long readiness answers 503 before the server stops accepting, in ms; meanwhile every response says Connection: close. Set it above the load balancer's probe interval.",
  }),
  idempotencyTtlS: setting(integer(60, 604800), {
    default: "86400",
    live: false,
    description:
      "How long the answer to a request sent with an Idempotency-Key is kept for retries, in seconds.",
  }),
  trustProxy: setting(boolean, {
    default: "false",
    live: false,
    description: "Trust X-Forwarded-* headers (only behind a proxy that sets them).",
  }),
  proxyHops: setting(integer(1, 10), {
    default: "1",
    live: false,
    description:
      "Proxies in front of keel that append to X-Forwarded-For; the client is that many entries from the right.",
  }),
  cors: {
    origins: setting(origins, {
      default: { development: "http://localhost:3000,http://localhost:5173", test: "", production: "" },
      live: true,
      description: "Origins allowed by CORS; empty allows none.",
    }),
  },
};

export const apiSettings = {
  defaultVersion: setting(oneOf(["v1", "v2"]), {
    default: "v1",
    live: false,
    description: "API version served at /api/... when no X-API-Version header is sent.",
  }),
  v1: {
    deprecated: setting(boolean, {
      default: "false",
      live: true,
      description: "Mark v1 responses deprecated (Deprecation header).",
    }),
    sunset: setting(optionalIsoDate, {
      default: "",
      live: true,
      description: "Date v1 goes away (Sunset header); empty for none.",
    }),
  },
};

export const featuresSettings = family(boolean, {
  live: true,
  description: "Feature flag, e.g. FEATURES__NEW_CHECKOUT=true is features.newCheckout.",
});
