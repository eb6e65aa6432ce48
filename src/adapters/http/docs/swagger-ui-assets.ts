import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** One file of the installed swagger-ui-dist, held in memory: it never changes while keel runs. */
export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/** What the page loads from swagger-ui-dist, and nothing else of the package (no source maps, no demo page). */
const SERVED: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png",
};

export interface SwaggerUiAssets {
  /** The package's version: part of every asset URL, so an upgrade changes the URLs it may be cached under. */
  readonly version: string;
  readonly files: ReadonlyMap<string, Asset>;
}

/**
 * Reads the Swagger UI files from the installed package (resolved like any import, never a CDN), so
 * the docs page works offline and loads only what this server holds. Resolving `package.json`
 * rather than importing the package keeps its browser bundle from being evaluated in Node.
 */
export function loadSwaggerUiAssets(): SwaggerUiAssets {
  const manifest = createRequire(import.meta.url).resolve("swagger-ui-dist/package.json");
  const root = dirname(manifest);
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  const files = new Map(
    Object.entries(SERVED).map(([name, type]) => [name, { type, body: readFileSync(join(root, name)) }]),
  );
  return { version, files };
}
