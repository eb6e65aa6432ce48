import cors from "@koa/cors";
import type { Middleware } from "koa";
import type { LiveConfig } from "../../../ports/live-config.js";

export interface CorsSettings {
  /** Allowed origins; `*` allows any. Reloaded live. */
  readonly origins: readonly string[];
}

/** CORS with an allowlist read on every request, so a reloaded list applies at once. */
export function corsPolicy(settings: LiveConfig<CorsSettings>): Middleware {
  return cors({
    origin: (ctx) => {
      const origin = ctx.get("Origin");
      const { origins } = settings.get();
      if (origins.includes("*")) return "*";
      // An empty string tells @koa/cors to send no CORS headers: the browser then blocks the call.
      return origins.includes(origin) ? origin : "";
    },
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["Content-Type", "Authorization", "X-API-Version", "X-Request-ID", "X-API-Key"],
    exposeHeaders: [
      "X-Request-ID",
      "X-API-Version",
      "Deprecation",
      "Sunset",
      "Retry-After",
      "RateLimit-Limit",
      "RateLimit-Remaining",
      "RateLimit-Reset",
    ],
    maxAge: 600,
  });
}
