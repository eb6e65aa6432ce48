import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import * as assert from "uvu/assert";
import { ROOT } from "./child-process.js";
import { type CoverageSummary, figures, summaryLine, THRESHOLDS } from "./coverage-gate.js";
import { test } from "./uvu.js";

const root = "/repo";

function summary(files: Record<string, readonly [total: number, covered: number]>): CoverageSummary {
  const entries: Record<string, { lines: { total: number; covered: number } }> = {};
  let total = 0;
  let covered = 0;
  for (const [file, [lines, hit]] of Object.entries(files)) {
    entries[join(root, file)] = { lines: { total: lines, covered: hit } };
    total += lines;
    covered += hit;
  }
  return { ...entries, total: { lines: { total, covered } } };
}

test("given every directory above its threshold, when the gate reads the summary, then it prints one line and fails none", () => {
  const all = figures(
    summary({
      "src/domain/a.ts": [100, 97],
      "src/application/b.ts": [100, 93],
      "src/adapters/http/c.ts": [200, 183],
      "src/bootstrap/d.ts": [100, 50],
    }),
    root,
  );

  assert.equal(
    all.map((figure) => figure.below),
    [false, false, false, false],
  );
  assert.is(
    summaryLine(all),
    "coverage: lines 84.6% overall, domain 97.0%, application 93.0%, http 91.5% (thresholds 80/95/90/90)",
  );
});

test("given a directory under its threshold, when the gate reads the summary, then the line names it with its figure", () => {
  const all = figures(
    summary({
      "src/domain/a.ts": [100, 97],
      "src/domain/b.ts": [100, 92],
      "src/application/c.ts": [100, 95],
      "src/adapters/http/d.ts": [100, 95],
    }),
    root,
  );

  assert.is(all.find((figure) => figure.threshold.label === "domain")?.below, true);
  assert.match(summaryLine(all), /domain 94\.5%/);
  assert.match(summaryLine(all), /; below threshold: src\/domain 94\.5% < 95%$/);
});

test("given a figure a hair under its threshold, when it is printed, then it is rounded down so it cannot read as passing", () => {
  const all = figures(
    summary({
      "src/domain/a.ts": [10_000, 9_499],
      "src/application/b.ts": [1, 1],
      "src/adapters/http/c.ts": [1, 1],
    }),
    root,
  );

  assert.match(summaryLine(all), /domain 94\.9%/);
  assert.match(summaryLine(all), /below threshold: src\/domain 94\.9% < 95%/);
});

test("given a directory with no counted file, when the gate reads the summary, then it fails it instead of passing an empty directory", () => {
  const all = figures(summary({ "src/domain/a.ts": [10, 10], "src/application/b.ts": [10, 10] }), root);

  assert.match(summaryLine(all), /http none/);
  assert.match(summaryLine(all), /below threshold: src\/adapters\/http, src\/adapters\/\*\/http none < 90%/);
});

test("given a sibling directory whose name starts like a measured one, when the gate sums, then it is not counted in it", () => {
  const all = figures(
    summary({ "src/domain/a.ts": [10, 10], "src/domain-extra/b.ts": [10, 0] }),
    root,
    THRESHOLDS.slice(0, 2),
  );

  assert.equal(all[1]?.counts, { total: 10, covered: 10 });
});

test("given the foundation's HTTP adapter and a context's routes, when the gate sums http, then both count and nothing else", () => {
  const all = figures(
    summary({
      "src/adapters/http/app.ts": [10, 10],
      "src/adapters/invoice/http/v1-invoices.ts": [10, 5],
      "src/adapters/invoice/sql/kysely-invoices.ts": [10, 0],
      "src/adapters/invoice/deeper/http/x.ts": [10, 0],
    }),
    root,
  );

  assert.equal(all.find((figure) => figure.threshold.label === "http")?.counts, { total: 20, covered: 15 });
});

/*
 * c8's --all counts every line of a file that was never loaded as not run. A file that declares
 * only types compiles to no JavaScript, so it is never loaded and would count as untested code.
 * .c8rc.json leaves exactly those files out, by name: this test keeps that list exact, so no file
 * with code — in src/domain, src/application or src/adapters/http least of all — can be excluded.
 */
test("given the sources, then c8 leaves out exactly the files that compile to no JavaScript", () => {
  const config = JSON.parse(readFileSync(join(ROOT, ".c8rc.json"), "utf8")) as {
    exclude?: string[];
    src: string[];
  };
  const typesOnly = config.src
    .flatMap((directory) => sources(join(ROOT, directory)))
    .filter((file) => compilesToNothing(readFileSync(file, "utf8")))
    .map((file) => relative(ROOT, file))
    .sort();

  assert.ok(typesOnly.length > 0, "some files declare only types");
  assert.equal([...(config.exclude ?? [])].sort(), typesOnly);
});

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function compilesToNothing(source: string): boolean {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      removeComments: true,
    },
  });
  return /^\s*(export \{\};?\s*)?$/.test(outputText);
}

test.run();
