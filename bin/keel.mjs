#!/usr/bin/env node
// `keel` from a clone (npx keel, npm exec keel) or an installed build. A build (make build) runs as
// compiled JavaScript; without one, the TypeScript sources run through tsx, so a fresh clone needs no
// build step. Either way it is the same CLI: src/bootstrap/cli.ts.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = fileURLToPath(new URL("../dist/src/bootstrap/cli.js", import.meta.url));
if (existsSync(built)) {
  await import(built);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/bootstrap/cli.ts");
}
