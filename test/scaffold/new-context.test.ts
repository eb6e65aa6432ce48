import * as assert from "uvu/assert";
import { suite } from "../support/uvu.js";
import { type Clone, cloneRepository, type Ran, settled } from "./clone.js";

/**
 * Issue 13's promise, kept: in a fresh clone, `keel new context invoice` writes a context that changes
 * one line outside its own folders, passes the linters and the type checker as written, passes its
 * own tests, and is picked up — routes, permissions, access rules — by the suites that read every
 * context. The slow checks (lint, tsc, the suites) start together once the context is written and
 * each test waits for its own, so the whole file takes about as long as the slowest of them.
 */

/** The suites run in the clone: the generated ones, and those that read every context. */
const SUITES = [
  "domain/invoice/invoice",
  "application/invoice/invoice-handlers",
  "adapters/invoice/invoice-store.contract",
  "adapters/invoice/invoices-api",
  "adapters/http/authorization-matrix",
  "contract/openapi-valid",
  "bootstrap/config/readme-table",
  "bootstrap/config/env-example",
  "architecture",
];

interface Context {
  clone: Clone;
  written: Ran;
  lint: () => Promise<Ran>;
  typecheck: () => Promise<Ran>;
  suites: () => Promise<Ran>;
  permissions: () => Promise<Ran>;
}

const scaffold = suite<Context>("keel new context invoice, in a fresh clone");

scaffold.before(async (context) => {
  context.clone = await cloneRepository();
  const { clone } = context;
  context.written = await clone.keel("new", "context", "invoice");
  const pattern = `^(${SUITES.join("|").replace(/\./g, "\\.")})\\.test\\.ts$`;
  context.lint = settled(clone.run("npm", ["run", "lint", "--silent"]));
  context.typecheck = settled(clone.run("npx", ["tsc", "--noEmit", "-p", "."]));
  context.suites = settled(
    clone.run(process.execPath, ["--import", "tsx", "node_modules/uvu/bin.js", "test", pattern]),
  );
  context.permissions = settled(clone.keel("permissions"));
});

scaffold.after(async ({ clone, lint, typecheck, suites, permissions }) => {
  // Every process the clone runs has ended before its directory goes.
  await Promise.allSettled([lint?.(), typecheck?.(), suites?.(), permissions?.()]);
  await clone?.remove();
});

scaffold(
  "then git shows only new files, all in invoice folders of the layers, and one added line in src/bootstrap/contexts.ts",
  async ({ clone, written }) => {
    const status = await clone.status();
    const modified = status.filter((line) => !line.startsWith("?? "));
    const added = status.filter((line) => line.startsWith("?? ")).map((line) => line.slice(3));
    assert.equal(modified, [" M src/bootstrap/contexts.ts"]);
    const outside = added.filter((path) => !/^(src|test)\/[a-z]+\/invoice\//.test(path));
    assert.equal(outside, [], "new files outside the invoice folders");
    assert.ok(added.length >= 20, `${added.length} new files`);
    assert.equal(
      added.sort(),
      [...written.stdout.matchAll(/^wrote (\S+)$/gm)].map(([, path]) => path).sort(),
      "keel new lists what it wrote",
    );

    const diff = (await clone.run("git", ["diff", "--numstat", "src/bootstrap/contexts.ts"])).stdout;
    assert.is(diff.trim(), "1\t0\tsrc/bootstrap/contexts.ts", "one line added, none removed");
    const patch = (await clone.run("git", ["diff", "-U0", "src/bootstrap/contexts.ts"])).stdout;
    const lines = patch.split("\n").filter((line) => /^[+-][^+-]/.test(line));
    assert.equal(lines, ['+  invoice: import("./invoice/invoice-context.js"),']);
  },
);

scaffold("then biome, the import rules and the type checker accept the clone as written", async (context) => {
  const [lint, typecheck] = await Promise.all([context.lint(), context.typecheck()]);
  assert.match(lint.stdout + lint.stderr, /no dependency violations found/);
  assert.is(typecheck.stdout.trim(), "", "tsc reports nothing");
});

scaffold(
  "then the generated tests pass, and so do the matrix, the OpenAPI check, the README and .env.example checks and the import rules",
  async (context) => {
    const { stdout } = await context.suites();
    for (const name of SUITES) {
      const file = `${name.split("/").at(-1)}.test.ts`;
      assert.ok(stdout.includes(file), `${file} ran in the clone`);
    }
    const count = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(stdout)?.[1]);
    assert.ok(count("Total") >= 30, `${count("Total")} tests`);
    assert.is(count("Passed"), count("Total"));
    if (process.env.CI === "true") assert.is(count("Skipped"), 0, "CI runs them all, on PostgreSQL too");
  },
);

scaffold("then keel permissions lists invoice:write and invoice:read, granted to admin", async (context) => {
  const { stdout } = await context.permissions();
  assert.match(stdout, /^\| `invoice:write` \| invoice \| Create invoices\. \| admin \|$/m);
  assert.match(stdout, /^\| `invoice:read` \| invoice \| Read and list invoices\. \| admin \|$/m);
});

scaffold.run();
