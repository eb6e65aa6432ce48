import type { Middleware } from "koa";
import helmet from "koa-helmet";

/**
 * Helmet's defaults for an API: no sniffing, no framing, no referrer leaks, HSTS. The content
 * security policy forbids everything, since this server returns JSON, not pages.
 */
export function securityHeaders(): Middleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  });
}
