import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import type { Middleware } from "koa";

/**
 * Helmet's headers for an API: no sniffing, no framing, no referrer leaks, HSTS, and a content
 * security policy that forbids everything, since this server returns JSON, not pages.
 *
 * They never vary by request, so helmet runs once at start-up against a recording response and the
 * middleware replays what it set: helmet stays the source of truth, without its dozen middlewares
 * on every request.
 */
export function securityHeaders(): Middleware {
  const headers = recordHelmetHeaders();
  return (ctx, next) => {
    for (const [name, value] of headers) ctx.res.setHeader(name, value);
    return next();
  };
}

function recordHelmetHeaders(): [string, string][] {
  const recorded: [string, string][] = [];
  const response = {
    setHeader: (name: string, value: string) => recorded.push([name, value]),
    removeHeader: (name: string) => {
      const at = recorded.findIndex(([existing]) => existing.toLowerCase() === name.toLowerCase());
      if (at !== -1) recorded.splice(at, 1);
    },
  };
  let called = false;
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  })({} as IncomingMessage, response as unknown as ServerResponse, () => {
    called = true;
  });
  if (!called) throw new Error("helmet did not complete synchronously; its headers cannot be precomputed");
  return recorded;
}
