/**
 * The one layering rule of ARCHITECTURE.md, as a check: imports point inward only, and the core
 * (domain, application, ports) imports no framework or driver. test/architecture.test.ts runs it.
 */
const CORE = "^src/(domain|application|ports)/";

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
        "the product context (keel's example) is reached only through src/bootstrap/contexts.ts: deleting its line there, and its folders, leaves a working service",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/[^/]+/product/", "^src/bootstrap/contexts\\.ts$"] },
      to: { path: "^src/[^/]+/product/" },
    },
    {
      name: "src-never-imports-tests",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^test/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^src/" },
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
