import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import * as assert from "uvu/assert";
import { UsageError } from "../../src/bootstrap/command-errors.js";
import { organizeImports } from "../../src/bootstrap/scaffold/imports.js";
import {
  contextNames,
  MAX_CONTEXT_NAME,
  MAX_USE_CASE_NAME,
  useCaseNames,
} from "../../src/bootstrap/scaffold/names.js";
import { contextPlan } from "../../src/bootstrap/scaffold/scaffold.js";
import { commandFiles, queryFiles } from "../../src/bootstrap/scaffold/templates/use-case.js";
import { ROOT } from "../support/child-process.js";
import { test } from "../support/uvu.js";
import { clashes } from "./template-identifiers.js";

const run = promisify(execFile);

/** Whether deriving the names throws a UsageError, and its message. */
function refusal(derive: () => unknown): string | undefined {
  try {
    derive();
  } catch (error) {
    assert.instance(error, UsageError);
    return (error as Error).message;
  }
  return undefined;
}

test("given a kebab-case context name, then every spelling the code needs is derived from it", () => {
  const names = contextNames("purchase-order");
  assert.equal(
    [names.kebab, names.camel, names.pascal, names.snake, names.constant, names.words, names.aWords],
    [
      "purchase-order",
      "purchaseOrder",
      "PurchaseOrder",
      "purchase_order",
      "PURCHASE_ORDER",
      "purchase order",
      "a purchase order",
    ],
  );
  assert.equal(
    [names.plural.kebab, names.plural.pascal, names.plural.snake, names.plural.Words],
    ["purchase-orders", "PurchaseOrders", "purchase_orders", "Purchase orders"],
  );
});

test("given a name, its plural follows the regular English rules unless --plural gives one", () => {
  const plural = (name: string, given?: string) => contextNames(name, given).plural.kebab;
  assert.equal(
    ["invoice", "box", "category", "survey", "order-batch"].map((name) => plural(name)),
    ["invoices", "boxes", "categories", "surveys", "order-batches"],
  );
  assert.is(plural("person", "people"), "people");
  assert.match(refusal(() => contextNames("sheep", "sheep")) ?? "", /plural of sheep must differ/);
  assert.equal(
    ["invoice", "order", "user", "hour"].map((name) => contextNames(name).aWords),
    ["an invoice", "an order", "a user", "an hour"],
  );
});

test("when a context name is not kebab-case, then it is refused, with the kebab-case spelling when there is one", () => {
  assert.match(refusal(() => contextNames("PurchaseOrder")) ?? "", /not kebab-case.*write it purchase-order/);
  assert.match(refusal(() => contextNames("purchaseOrder")) ?? "", /write it purchase-order/);
  for (const name of ["purchase_order", "2fa", "-order", "order-", "or--der", "", "order!"])
    assert.match(refusal(() => contextNames(name)) ?? "", /not kebab-case/, name);
  assert.match(refusal(() => contextNames("x".repeat(MAX_CONTEXT_NAME + 1))) ?? "", /longer than 20/);
  assert.is(contextNames("x".repeat(MAX_CONTEXT_NAME)).kebab.length, MAX_CONTEXT_NAME);
});

test("when a context name is keel's own, a reserved word, or one JavaScript defines, then it is refused", () => {
  for (const name of ["shared", "contexts"])
    assert.match(refusal(() => contextNames(name)) ?? "", /reserved/);
  for (const name of ["class", "new", "default"])
    assert.match(refusal(() => contextNames(name)) ?? "", /reserved word in JavaScript/, name);
  for (const name of ["date", "map", "promise", "array-buffer"])
    assert.match(refusal(() => contextNames(name)) ?? "", /JavaScript already defines/, name);
  assert.match(refusal(() => contextNames("thi")) ?? "", /this, a reserved word/, "its plural, this");
});

test("given every template, when a context, plural or use case name would make one declare an identifier twice, then that name is refused", () => {
  const found = clashes();
  assert.ok(found.length > 0, "the probe finds the templates' own identifiers");
  const accepted = found.filter((clash) => {
    const derive =
      clash.kind === "context"
        ? () => contextNames(clash.name)
        : clash.kind === "plural"
          ? () => contextNames("zebra", clash.name)
          : () => useCaseNames(clash.name);
    return refusal(derive) === undefined;
  });
  assert.equal(
    accepted.map((clash) => `${clash.kind} ${clash.name} (${clash.where})`),
    [],
    "add these to the lists in src/bootstrap/scaffold/names.ts",
  );
});

test("given a use case name in PascalCase or kebab-case, then its forms are derived; an ambiguous, long or reserved one is refused", () => {
  assert.equal(
    [useCaseNames("IssueInvoice").kebab, useCaseNames("issue-invoice").pascal],
    ["issue-invoice", "IssueInvoice"],
  );
  assert.match(refusal(() => useCaseNames("HTTPRequest")) ?? "", /write it HttpRequest/);
  assert.match(refusal(() => useCaseNames(`A${"b".repeat(MAX_USE_CASE_NAME)}`)) ?? "", /longer than 32/);
  assert.match(refusal(() => useCaseNames("Handler")) ?? "", /reserved/);
  assert.match(refusal(() => useCaseNames("issue_invoice")) ?? "", /not kebab-case/);
});

test("given import statements in any order and layout, then organizeImports gives biome's order and layout", async () => {
  const names = Array.from({ length: 12 }, (_, i) => `name${i}`);
  const scrambled = [
    'import { zeta, type Alpha, beta } from "./x/y-z.js";',
    'import { readFileSync } from "node:fs";',
    'import type { Kysely } from "kysely";',
    'import { a } from "../../a/b.js";',
    'import {\n  Only,\n} from "../../b/a-very-long-module-path-that-goes-on-and-on/and-on/and-on/and-on/only.js";',
    'import * as t from "io-ts";',
    'import { Y2 } from "./x/Y2.js";',
    'import { y } from "./x/y.js";',
    'import { ya } from "./x/ya.js";',
    'import { y10, y9 } from "./x/y9.js";',
    `import { ${names.join(", ")} } from "../../c.js";`,
  ].join("\n");
  const values = ["zeta", "beta", "a", "Only", "t", "Y2", "y", "ya", "y9", "y10", "readFileSync", ...names];
  const uses = [
    `export const used = [\n${values.map((value) => `  ${value},\n`).join("")}];`,
    "export type Used = Alpha | Kysely<never>;",
  ];
  const organized = organizeImports(`${scrambled}\n\n${uses.join("\n")}\n`);
  assert.not.equal(organized.split("\n")[0], scrambled.split("\n")[0], "the statements were reordered");
  assert.equal(await biomeFindings({ "src/organized.ts": organized }), []);
});

test(`given names of every length from 2 to ${MAX_CONTEXT_NAME} characters and use cases up to ${MAX_USE_CASE_NAME}, then every generated file is as biome formats and lints it`, async () => {
  const words = ["ab", "cde", "fghij", "klmno", "pqrstu", "vwxyz"];
  const files: Record<string, string> = {};
  for (let length = 2; length <= MAX_CONTEXT_NAME; length++) {
    const name = nameOfLength(words, length);
    const names = contextNames(name);
    const root = `n${length}`;
    for (const file of contextPlan(ROOT, names, new Date("2026-12-01T09:30:00Z")).files)
      files[`${root}/${file.path}`] = file.content;
    const longest = `Do${names.pascal}`.padEnd(MAX_USE_CASE_NAME, "x").slice(0, MAX_USE_CASE_NAME);
    for (const useCase of [useCaseNames("DoIt"), useCaseNames(longest)]) {
      for (const file of [...commandFiles(names, useCase), ...queryFiles(names, useCase)])
        files[`${root}/${useCase.kebab}/${file.path}`] = organizeImports(file.content);
    }
  }
  assert.equal(await biomeFindings(files), []);
});

/** A kebab-case name of exactly `length` characters made of the given words. */
function nameOfLength(words: readonly string[], length: number): string {
  let name = words[0] ?? "ab";
  for (let index = 1; name.length < length; index++) name = `${name}-${words[index % words.length]}`;
  return name.slice(0, length).replace(/-$/, "x");
}

/** What `biome check` (keel's configuration) finds in these files, one line each; none when it accepts them. */
async function biomeFindings(files: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "keel-scaffold-biome-"));
  try {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    const biome = join(ROOT, "node_modules/.bin/biome");
    const args = [
      "check",
      "--vcs-enabled=false",
      `--config-path=${join(ROOT, "biome.json")}`,
      "--reporter=json",
      ".",
    ];
    const { stdout } = await run(biome, args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        if (!error.stdout) throw new Error(`biome did not run: ${error.stderr}`);
        return { stdout: error.stdout };
      },
    );
    const report = JSON.parse(stdout) as {
      diagnostics: { category: string; message: string; location: { path: string } }[];
    };
    return report.diagnostics.map((d) => `${d.location.path}: ${d.category}: ${d.message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test.run();
