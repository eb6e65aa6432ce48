/**
 * The one layering rule of ARCHITECTURE.md, as a check: imports point inward only, and the core
 * (domain, application, ports) imports no framework or driver — in src/ and inside each plugin
 * (plugins/<name>/domain, application, ports, adapters, with its manifest as its composition root).
 * test/architecture.test.ts runs it.
 */
const CORE = "^(src|plugins/[^/]+)/(domain|application|ports)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "domain imports only domain: no other layer and nothing from npm or node",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { pathNot: ["^src/domain/"] },
    },
    {
      name: "ports-see-only-domain",
      severity: "error",
      from: { path: "^src/ports/" },
      to: { pathNot: ["^src/(domain|ports)/"] },
    },
    {
      name: "application-sees-domain-and-ports",
      severity: "error",
      from: { path: "^src/application/" },
      to: { pathNot: ["^src/(domain|application|ports)/"] },
    },
    {
      name: "plugin-domain-is-pure",
      comment: "a plugin's domain imports only its own domain and keel's",
      severity: "error",
      from: { path: "^plugins/([^/]+)/domain/" },
      to: { pathNot: ["^plugins/$1/domain/", "^src/domain/"] },
    },
    {
      name: "plugin-ports-see-only-domain",
      severity: "error",
      from: { path: "^plugins/([^/]+)/ports/" },
      to: { pathNot: ["^plugins/$1/(domain|ports)/", "^src/(domain|ports)/"] },
    },
    {
      name: "plugin-application-sees-domain-and-ports",
      severity: "error",
      from: { path: "^plugins/([^/]+)/application/" },
      to: { pathNot: ["^plugins/$1/(domain|application|ports)/", "^src/(domain|application|ports)/"] },
    },
    {
      name: "plugin-adapters-never-reach-bootstrap",
      comment:
        "a plugin's adapters reach neither keel's bootstrap nor its own manifest (its composition root)",
      severity: "error",
      from: { path: "^plugins/([^/]+)/adapters/" },
      to: { path: ["^src/bootstrap/", "^plugins/$1/[^/]+$"] },
    },
    {
      name: "core-is-plugin-agnostic",
      comment: "keel's own code names no plugin: plugins are found from PLUGINS__ENABLED at start-up",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^plugins/" },
    },
    {
      name: "plugins-meet-through-ports",
      comment: "a plugin uses another (one it depends on) only through that one's ports",
      severity: "error",
      from: { path: "^plugins/([^/]+)/" },
      to: { path: "^plugins/", pathNot: ["^plugins/$1/", "^plugins/[^/]+/ports/"] },
    },
    {
      name: "core-imports-no-node-builtins",
      comment: "the core stays portable and testable; I/O belongs to adapters",
      severity: "error",
      from: { path: CORE },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "adapters-never-reach-bootstrap",
      severity: "error",
      from: { path: "^src/adapters/" },
      to: { path: "^src/bootstrap/" },
    },
    {
      name: "example-context-is-removable",
      comment:
        "the product context (keel's example) is reached only through src/bootstrap/contexts.ts and the order example's anti-corruption layer (src/adapters/order/stock/): deleting both examples' lines there, and their folders, leaves a working service",
      severity: "error",
      from: {
        path: "^(src|plugins)/",
        pathNot: ["^src/[^/]+/product/", "^src/bootstrap/contexts\\.ts$", "^src/adapters/order/stock/"],
      },
      to: { path: "^src/[^/]+/product/" },
    },
    {
      name: "order-example-is-removable",
      comment:
        "the order context (keel's second example, built on product) is reached only through src/bootstrap/contexts.ts",
      severity: "error",
      from: { path: "^(src|plugins)/", pathNot: ["^src/[^/]+/order/", "^src/bootstrap/contexts\\.ts$"] },
      to: { path: "^src/[^/]+/order/" },
    },
    {
      name: "src-never-imports-tests",
      severity: "error",
      from: { path: "^(src|plugins)/" },
      to: { path: "^test/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^(src|plugins)/" },
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
