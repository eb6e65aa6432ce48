import type { Middleware } from "koa";
import type { AppState } from "../app-state.js";
import { type DocumentLink, docsPageHtml, swaggerInitializerJs } from "./docs-page.js";
import type { SwaggerUiAssets } from "./swagger-ui-assets.js";

export const DOCS_PATH = "/docs";
const INITIALIZER_PATH = "/docs/swagger-initializer.js";
const ASSET = /^\/docs\/assets\/([^/]+)\/([^/]+)$/;

/** The paths the docs page is made of: they get the page's security headers, not the API's. */
export function isDocsPath(path: string): boolean {
  return path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);
}

export interface DocsSettings {
  readonly assets: SwaggerUiAssets;
  /** The API versions with a document, in any order. */
  readonly versions: readonly string[];
  /** The version `/api/...` resolves to without a header: listed, and shown, first. */
  readonly defaultVersion: string;
}

/**
 * `GET /docs`: Swagger UI over `/openapi/<version>.json`, a selector for the version. The page and
 * its initializer are `no-cache` (they change with keel's configuration and version); the Swagger UI
 * files are immutable under a URL naming the package version, so a browser keeps them for a year and
 * an upgrade is fetched at once.
 */
export function docsRoutes(settings: DocsSettings): Middleware<AppState> {
  const base = `${DOCS_PATH}/assets/${settings.assets.version}`;
  const page = docsPageHtml({ assets: base, initializer: INITIALIZER_PATH });
  const initializer = swaggerInitializerJs(links(settings));
  return async (ctx, next) => {
    if (!isDocsPath(ctx.path) || (ctx.method !== "GET" && ctx.method !== "HEAD")) return next();
    const matched = (template: string) => {
      (ctx as { _matchedRoute?: string })._matchedRoute = template;
    };
    if (ctx.path === DOCS_PATH) {
      matched(DOCS_PATH);
      ctx.set("Cache-Control", "no-cache");
      ctx.type = "text/html; charset=utf-8";
      ctx.body = page;
    } else if (ctx.path === `${DOCS_PATH}/`) {
      matched(`${DOCS_PATH}/`);
      ctx.status = 301;
      ctx.redirect(DOCS_PATH);
    } else if (ctx.path === INITIALIZER_PATH) {
      matched(INITIALIZER_PATH);
      ctx.set("Cache-Control", "no-cache");
      ctx.type = "text/javascript; charset=utf-8";
      ctx.body = initializer;
    } else {
      const [, version, name] = ASSET.exec(ctx.path) ?? [];
      const asset = version === settings.assets.version ? settings.assets.files.get(name ?? "") : undefined;
      if (asset === undefined) return next();
      matched(`${DOCS_PATH}/assets/:version/:file`);
      ctx.set("Cache-Control", "public, max-age=31536000, immutable");
      ctx.type = asset.type;
      ctx.body = asset.body;
    }
  };
}

function links(settings: DocsSettings): DocumentLink[] {
  const ordered = [
    ...settings.versions.filter((v) => v === settings.defaultVersion),
    ...settings.versions.filter((v) => v !== settings.defaultVersion),
  ];
  return ordered.map((name) => ({ name, url: `/openapi/${name}.json` }));
}
