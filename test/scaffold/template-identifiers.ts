import ts from "typescript";
import { contextNames, useCaseNames } from "../../src/bootstrap/scaffold/names.js";
import { adapterFiles } from "../../src/bootstrap/scaffold/templates/adapters.js";
import { applicationFiles } from "../../src/bootstrap/scaffold/templates/application.js";
import { contextModuleFiles } from "../../src/bootstrap/scaffold/templates/context-module.js";
import { domainFiles } from "../../src/bootstrap/scaffold/templates/domain.js";
import { httpFiles } from "../../src/bootstrap/scaffold/templates/http.js";
import { portFiles } from "../../src/bootstrap/scaffold/templates/ports.js";
import type { GeneratedFile } from "../../src/bootstrap/scaffold/templates/template.js";
import { testFiles } from "../../src/bootstrap/scaffold/templates/tests.js";
import { commandFiles, queryFiles } from "../../src/bootstrap/scaffold/templates/use-case.js";

/**
 * Which names would make a template declare one identifier twice in a file: the context's name (or a
 * use case's) where it stands in a declared identifier (`Create${Pascal}`, `${camel}`) taking a form
 * that one of the template's own declarations already has (`context "body"` makes `CreateBody`, the
 * name of the create route's body codec). Found by rendering every template for probe names that no
 * template word contains and reading each file's declarations with the TypeScript parser.
 */
export interface Clash {
  readonly kind: "context" | "plural" | "use case";
  /** The name as the user would type it: kebab-case for contexts and plurals, PascalCase for use cases. */
  readonly name: string;
  readonly where: string;
}

const PROBE = contextNames("zqx");
const USE_CASE = useCaseNames("VqwDo");
const MIGRATION = "2026-01-01T0000";

export function everyTemplate(): GeneratedFile[] {
  return [
    ...domainFiles(PROBE),
    ...portFiles(PROBE),
    ...applicationFiles(PROBE),
    ...adapterFiles(PROBE, MIGRATION),
    ...httpFiles(PROBE),
    ...contextModuleFiles(PROBE, MIGRATION),
    ...testFiles(PROBE),
    ...commandFiles(PROBE, USE_CASE),
    ...queryFiles(PROBE, USE_CASE),
  ];
}

/**
 * Each form of the probes, most specific first, and the pattern that form takes for any name: PascalCase
 * words, camelCase words, CONSTANT_CASE words.
 */
const FORMS: readonly [RegExp, string, Clash["kind"], (captured: string) => string][] = [
  [/Zqxes/g, "(?<a>(?:[A-Z][a-z0-9]*)+)", "plural", kebabOfCamel],
  [/zqxes/g, "(?<b>[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*)", "plural", kebabOfCamel],
  [/ZQXES/g, "(?<c>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)", "plural", kebabOfConstant],
  [/Zqx/g, "(?<d>(?:[A-Z][a-z0-9]*)+)", "context", kebabOfCamel],
  [/zqx/g, "(?<e>[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*)", "context", kebabOfCamel],
  [/ZQX/g, "(?<f>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)", "context", kebabOfConstant],
  [/VqwDo/g, "(?<g>(?:[A-Z][a-z0-9]*)+)", "use case", (captured) => captured],
];

export function clashes(): Clash[] {
  const found: Clash[] = [];
  for (const file of everyTemplate()) {
    const declared = declarations(file);
    const derived = declared.filter((name) => /zqx|vqw/i.test(name));
    const own = declared.filter((name) => !/zqx|vqw/i.test(name));
    for (const name of derived) {
      const groups: [string, Clash["kind"], (captured: string) => string][] = [];
      let pattern = name;
      for (const [form, capture, kind, toName] of FORMS) {
        if (form.test(pattern)) groups.push([/\?<(\w)>/.exec(capture)?.[1] ?? "", kind, toName]);
        pattern = pattern.replace(form, capture);
      }
      const matcher = new RegExp(`^${pattern}$`);
      for (const other of own) {
        const match = matcher.exec(other);
        if (match === null) continue;
        for (const [group, kind, toName] of groups) {
          const captured = match.groups?.[group];
          if (captured !== undefined)
            found.push({ kind, name: toName(captured), where: `${file.path}: ${name} would be ${other}` });
        }
      }
    }
  }
  return found;
}

/** The identifiers a file declares or imports: its names, its functions' and classes' names, their parameters and fields. */
function declarations(file: GeneratedFile): string[] {
  const source = ts.createSourceFile(file.path, file.content, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const names = new Set<string>();
  const bind = (name: ts.BindingName | ts.Identifier | undefined) => {
    if (name === undefined) return;
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  const visit = (node: ts.Node) => {
    if (
      ts.isImportSpecifier(node) ||
      ts.isNamespaceImport(node) ||
      ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node)
    )
      bind(node.name);
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) bind(node.name);
    if (ts.isPropertyDeclaration(node) && ts.isIdentifier(node.name)) names.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...names];
}

/** `PersistenceStore`, `persistenceStore` → `persistence-store`: a dash before each capital. */
function kebabOfCamel(captured: string): string {
  return captured.replace(/(?!^)([A-Z])/g, "-$1").toLowerCase();
}

function kebabOfConstant(captured: string): string {
  return captured.toLowerCase().replace(/_/g, "-");
}
