import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CommandFailed, UsageError } from "../command-errors.js";
import { organizeImports } from "./imports.js";
import type { ContextNames, NameForms } from "./names.js";
import { adapterFiles } from "./templates/adapters.js";
import { applicationFiles } from "./templates/application.js";
import { contextModuleFiles } from "./templates/context-module.js";
import { domainFiles } from "./templates/domain.js";
import { httpFiles } from "./templates/http.js";
import { portFiles } from "./templates/ports.js";
import type { GeneratedFile } from "./templates/template.js";
import { testFiles } from "./templates/tests.js";
import { bindingLine, commandFiles, queryFiles } from "./templates/use-case.js";

/** Where the contexts are listed; `keel new context` adds its one line here. */
export const CONTEXT_LIST = "src/bootstrap/contexts.ts";

/** The layers a context has a folder in, under src/ and test/. */
const SOURCE_LAYERS = ["domain", "application", "ports", "adapters", "bootstrap"] as const;
const TEST_LAYERS = ["domain", "application", "adapters"] as const;

/** Lines added to an existing file. */
export interface FileEdit {
  readonly path: string;
  readonly added: readonly string[];
  /** The whole file with them in. */
  readonly content: string;
}

/** What a `keel new` writes: new files, and lines added to existing ones. */
export interface Plan {
  readonly files: readonly GeneratedFile[];
  readonly edits: readonly FileEdit[];
}

/**
 * The files of a new context and its line in the context list. Refused when the name is taken: by a
 * context in the list, or by a folder of that name in any layer (the foundation's `shared`, `http`,
 * `memory` and the like included).
 */
export function contextPlan(root: string, names: ContextNames, now: Date): Plan {
  const list = readFileSync(join(root, CONTEXT_LIST), "utf8");
  const key = /^[a-z][a-zA-Z0-9]*$/.test(names.kebab) ? names.kebab : JSON.stringify(names.kebab);
  if (new RegExp(`^\\s*${escapeRegExp(key)}:`, "m").test(list))
    throw new UsageError(`a context named ${names.kebab} is already listed in ${CONTEXT_LIST}`);
  const taken = [
    ...SOURCE_LAYERS.map((layer) => `src/${layer}/${names.kebab}`),
    ...TEST_LAYERS.map((layer) => `test/${layer}/${names.kebab}`),
  ].filter((folder) => existsSync(join(root, folder)));
  if (taken.length > 0)
    throw new UsageError(
      `the name ${names.kebab} is taken: ${taken.join(", ")} ${taken.length === 1 ? "exists" : "exist"} already`,
    );

  const migration = migrationStamp(now);
  const files = [
    ...domainFiles(names),
    ...portFiles(names),
    ...applicationFiles(names),
    ...adapterFiles(names, migration),
    ...httpFiles(names),
    ...contextModuleFiles(names, migration),
    ...testFiles(names),
  ].map(({ path, content }) => ({ path, content: organizeImports(content) }));
  const line = `  ${key}: import("./${names.kebab}/${names.kebab}-context.js"),`;
  return { files, edits: [{ path: CONTEXT_LIST, added: [line], content: withListedContext(list, line) }] };
}

/** The context list with one more line, last in the list (its permissions are shown last). */
function withListedContext(list: string, line: string): string {
  const lines = list.split("\n");
  const opening = lines.findIndex((text) => /^export const CONTEXTS\b.*\{$/.test(text));
  const closing = lines.findIndex((text, index) => opening >= 0 && index > opening && /^\}\);?$/.test(text));
  if (opening < 0 || closing < 0)
    throw new CommandFailed(
      `${CONTEXT_LIST} does not list its contexts as keel new expects (\`export const CONTEXTS ... = await listed({\`, one \`name: import(...)\` line each, then \`});\`); add this line to it yourself:\n${line}`,
    );
  return [...lines.slice(0, closing), line, ...lines.slice(closing)].join("\n");
}

/** `2026-12-01T0930`, the time the migration was made, in UTC: migration names sort by it. */
function migrationStamp(now: Date): string {
  return now.toISOString().slice(0, 16).replace(":", "");
}

/**
 * A command or a query of an existing context, with its handler spec, bound in the context's module.
 * It builds on what `keel new context` makes (the repository and read model, the permissions, the
 * spec harness), so it refuses a context laid out otherwise, saying what is missing.
 */
export function useCasePlan(
  root: string,
  kind: "command" | "query",
  context: ContextNames,
  useCase: NameForms,
): Plan {
  const k = context.kebab;
  const modulePath = `src/bootstrap/${k}/${k}-context.ts`;
  const needs: [string, string][] = [
    [modulePath, "bind: ({ container"],
    [`src/domain/${k}/${k}-id.ts`, `export function ${context.camel}Id(`],
    [`src/ports/${k}/${k}-repository.ts`, `export const ${context.pascal}Repository =`],
    [`src/ports/${k}/${k}-read-model.ts`, `export const ${context.pascal}ReadModel =`],
    [
      `src/application/${k}/${k}-permissions.ts`,
      `export const ${context.constant}_${kind === "command" ? "WRITE" : "READ"} =`,
    ],
    [`test/application/${k}/${k}-harness.ts`, `export function ${context.camel}Harness(`],
  ];
  const missing = needs
    .filter(
      ([path, text]) =>
        !existsSync(join(root, path)) || !readFileSync(join(root, path), "utf8").includes(text),
    )
    .map(([path, text]) => `${path} (with ${text})`);
  if (missing.length > 0)
    throw new UsageError(
      `keel new ${kind} adds to a context laid out as keel new context makes one; ${k} lacks:\n  ${missing.join("\n  ")}`,
    );
  const module = readFileSync(join(root, modulePath), "utf8");
  if (new RegExp(`\\b${useCase.pascal}\\b`).test(module))
    throw new UsageError(`${modulePath} already has a ${useCase.pascal}`);

  const files = (kind === "command" ? commandFiles : queryFiles)(context, useCase).map(
    ({ path, content }) => ({
      path,
      content: organizeImports(content),
    }),
  );
  const importLine = organizeImports(
    `import { ${useCase.pascal}, ${useCase.pascal}Handler } from "../../application/${k}/${useCase.kebab}.js";\n`,
  ).trimEnd();
  const binding = bindingLine(kind, context, useCase);
  const content = withBinding(withImport(module, importLine, modulePath), binding, modulePath);
  return { files, edits: [{ path: modulePath, added: [importLine, binding], content }] };
}

/** The module with an import statement added where the formatter sorts it. */
function withImport(module: string, statement: string, path: string): string {
  const lines = module.split("\n");
  const starts = lines.flatMap((line, index) => (line.startsWith("import ") ? [index] : []));
  if (starts.length === 0) throw new CommandFailed(`${path} has no imports to add one to:\n${statement}`);
  const sorted = organizeImports(
    `${[...starts.map((start) => statementAt(lines, start)), statement].join("\n")}\n`,
  );
  // Where the new statement landed among the others says which existing one it goes before.
  const order = sorted.split(/\n(?=import )/).map((text) => text.trim());
  const position = order.indexOf(statement);
  const before = starts[position];
  const insertAt = before ?? endOfStatement(lines, starts.at(-1) ?? 0) + 1;
  return [...lines.slice(0, insertAt), statement, ...lines.slice(insertAt)].join("\n");
}

/** The module with a binding added after the last handler binding of its `bind` function. */
function withBinding(module: string, binding: string, path: string): string {
  const lines = module.split("\n");
  const last = lines.findLastIndex((line) => /^\s+bind(Command|Query)\(container,/.test(line));
  if (last < 0)
    throw new CommandFailed(
      `${path} binds no command or query to add one after; add this to its bind:\n${binding}`,
    );
  const end = endOfStatement(lines, last);
  return [...lines.slice(0, end + 1), binding, ...lines.slice(end + 1)].join("\n");
}

function statementAt(lines: readonly string[], start: number): string {
  return lines.slice(start, endOfStatement(lines, start) + 1).join("\n");
}

function endOfStatement(lines: readonly string[], start: number): number {
  let end = start;
  while (end < lines.length - 1 && !(lines[end] ?? "").trimEnd().endsWith(";")) end++;
  return end;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Writes the plan, or with `dryRun` only says what it would write. An existing file is never
 * overwritten: if any of the plan's files exists, nothing is written and each is named.
 */
export function applyPlan(
  root: string,
  plan: Plan,
  options: { readonly dryRun: boolean; readonly print: (line: string) => void },
): void {
  const existing = plan.files.filter((file) => existsSync(join(root, file.path))).map((file) => file.path);
  if (existing.length > 0)
    throw new CommandFailed(`nothing written: these files exist already:\n  ${existing.join("\n  ")}`);
  const { print } = options;
  const verb = options.dryRun ? "would write" : "wrote";
  for (const file of plan.files) {
    if (!options.dryRun) {
      mkdirSync(dirname(join(root, file.path)), { recursive: true });
      // `wx`: should a file have appeared since the check, it is an error, not an overwrite.
      writeFileSync(join(root, file.path), file.content, { flag: "wx" });
    }
    print(`${verb} ${file.path}`);
  }
  for (const edit of plan.edits) {
    if (!options.dryRun) writeFileSync(join(root, edit.path), edit.content);
    for (const line of edit.added)
      print(`${options.dryRun ? "would add to" : "added to"} ${edit.path}: ${onOneLine(line)}`);
  }
}

/** A statement the formatter spread over lines, as one line to print: `bind(a, [\n  b,\n]);` → `bind(a, [b]);`. */
function onOneLine(statement: string): string {
  return statement
    .trim()
    .replace(/\s*\n\s*/g, " ")
    .replace(/, ([}\]])/g, " $1")
    .replace(/\[ | \]/g, (bracket) => bracket.trim());
}
