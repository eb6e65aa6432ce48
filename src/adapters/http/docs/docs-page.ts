/**
 * The docs page and the script that starts Swagger UI on it. The script is a file of its own, never
 * inline, so the page's Content-Security-Policy can allow scripts from this origin only.
 */

export interface DocsPageOptions {
  /** Where the Swagger UI files are served (`/docs/assets/<package version>`). */
  readonly assets: string;
  readonly initializer: string;
}

export function docsPageHtml(options: DocsPageOptions): string {
  const asset = (name: string) => `${options.assets}/${name}`;
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>keel API documentation</title>
    <link rel="stylesheet" href="${asset("swagger-ui.css")}">
    <link rel="icon" type="image/png" href="${asset("favicon-32x32.png")}" sizes="32x32">
    <link rel="icon" type="image/png" href="${asset("favicon-16x16.png")}" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${asset("swagger-ui-bundle.js")}"></script>
    <script src="${asset("swagger-ui-standalone-preset.js")}"></script>
    <script src="${options.initializer}"></script>
  </body>
</html>
`;
}

/** One entry of Swagger UI's version selector. */
export interface DocumentLink {
  readonly name: string;
  readonly url: string;
}

/**
 * Swagger UI with a selector over the given documents, the first one shown. Nothing leaves the
 * origin: no online validator badge (it would send the document to validator.swagger.io), and
 * configuration is never read from the page's query string.
 */
export function swaggerInitializerJs(documents: readonly DocumentLink[]): string {
  const [first] = documents;
  const urls = JSON.stringify(documents);
  return `"use strict";
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    urls: ${urls},
    "urls.primaryName": ${JSON.stringify(first?.name ?? "")},
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    validatorUrl: null,
    queryConfigEnabled: false,
  });
});
`;
}
