import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import type { Middleware } from "koa";

type Directives = Readonly<Record<string, readonly string[]>>;

/** The API returns JSON, never a page: nothing may load, run or frame it. */
export const API_CSP: Directives = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/**
 * The <style> element inside the Swagger logo of Swagger UI's top bar (swagger-ui-standalone-preset.js
 * renders `<style>.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}</style>`),
 * allowed by its hash: the one inline style the page has, so 'unsafe-inline' is not needed.
 */
export const SWAGGER_LOGO_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/**
 * The docs page (Swagger UI) loads its scripts, styles and images from this origin only and talks
 * to this origin only (the documents, the token endpoint, "Try it out"). No inline script: the
 * initializer is a file. No 'unsafe-inline' style either: Swagger UI sets inline styles through the
 * DOM (element.style), which a CSP does not govern, and its one <style> element is allowed by hash.
 * Its CSS draws icons from data: URIs. Its forms (Authorize, the version selector) are handled by
 * script and never submitted, so no form may send the page anywhere.
 */
export const DOCS_CSP: Directives = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", SWAGGER_LOGO_STYLE],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/**
 * Helmet's headers: no sniffing, no framing, no referrer leaks, HSTS, and a content security policy —
 * the API's on every path but the docs page's, which gets its own (`isDocsPage`).
 *
 * They vary by nothing else, so helmet runs once per policy at start-up against a recording response
 * and the middleware replays what it set: helmet stays the source of truth, without its dozen
 * middlewares on every request.
 */
export function securityHeaders(isDocsPage: (path: string) => boolean = () => false): Middleware {
  const api = recordHelmetHeaders(API_CSP);
  const docs = recordHelmetHeaders(DOCS_CSP);
  return (ctx, next) => {
    for (const [name, value] of isDocsPage(ctx.path) ? docs : api) ctx.res.setHeader(name, value);
    return next();
  };
}

function recordHelmetHeaders(directives: Directives): [string, string][] {
  const recorded: [string, string][] = [];
  const response = {
    setHeader: (name: string, value: string) => recorded.push([name, value]),
    removeHeader: (name: string) => {
      const at = recorded.findIndex(([existing]) => existing.toLowerCase() === name.toLowerCase());
      if (at !== -1) recorded.splice(at, 1);
    },
  };
  let called = false;
  helmet({ contentSecurityPolicy: { useDefaults: false, directives } })(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    () => {
      called = true;
    },
  );
  if (!called) throw new Error("helmet did not complete synchronously; its headers cannot be precomputed");
  return recorded;
}
