/**
 * Puts a generated file's imports in the order and layout keel's formatter (biome) gives them, so the
 * file passes `npm run lint` as written: which names a template imports is fixed, but where they sort
 * and whether a statement fits on one line depends on the context's name.
 */

const LINE_WIDTH = 110;

interface ImportStatement {
  readonly source: string;
  /** `* as t`, for a namespace import; otherwise undefined. */
  readonly namespace?: string;
  readonly typeOnly: boolean;
  readonly names: readonly { readonly name: string; readonly type: boolean }[];
}

/** The file with its leading import statements sorted and laid out; the rest is left as it is. */
export function organizeImports(file: string): string {
  const lines = file.split("\n");
  let end = 0;
  while (end < lines.length && /^import\b|^ {2}\S|^\}/.test(lines[end] ?? "")) end++;
  const block = lines.slice(0, end).join("\n");
  const statements = [...block.matchAll(/import\s[^;]*;/g)].map(([text]) => parse(text));
  if (statements.length === 0) return file;
  const sorted = statements.sort((a, b) => compareSources(a.source, b.source));
  return [...sorted.map(render), ...lines.slice(end)].join("\n");
}

function parse(text: string): ImportStatement {
  const flat = text.replace(/\s+/g, " ");
  const match = /^import (type )?(?:\* as (\w+)|\{ ?([^}]*?),? ?\}) from "([^"]+)";$/.exec(flat);
  if (match === null) throw new Error(`a template's import is not one the scaffold lays out: ${flat}`);
  const [, typeOnly, namespace, names = "", source = ""] = match;
  return {
    source,
    ...(namespace === undefined ? {} : { namespace }),
    typeOnly: typeOnly !== undefined,
    names: names
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name.length > 0)
      .map((name) => ({ name: name.replace(/^type /, ""), type: name.startsWith("type ") })),
  };
}

function render(statement: ImportStatement): string {
  if (statement.namespace !== undefined)
    return `import ${statement.typeOnly ? "type " : ""}* as ${statement.namespace} from "${statement.source}";`;
  const allTypes = statement.typeOnly || statement.names.every((name) => name.type);
  const names = [...statement.names]
    .sort((a, b) => naturalCompare(a.name, b.name))
    .map(({ name, type }) => (type && !allTypes ? `type ${name}` : name));
  const head = `import ${allTypes ? "type " : ""}`;
  const oneLine = `${head}{ ${names.join(", ")} } from "${statement.source}";`;
  // One name stays on the statement's line however long it is; so does a statement that fits.
  if (names.length === 1 || oneLine.length <= LINE_WIDTH) return oneLine;
  return `${head}{\n${names.map((name) => `  ${name},\n`).join("")}} from "${statement.source}";`;
}

/** Packages with a protocol (`node:`) first, then other packages, then relative paths, farthest first. */
function compareSources(a: string, b: string): number {
  return naturalCompare(rankOf(a), rankOf(b)) || naturalCompare(stripped(a), stripped(b));
}

function rankOf(source: string): string {
  if (/^[a-z]+:/.test(source)) return "0";
  if (!source.startsWith(".")) return "1";
  const depth = source.match(/\.\.\//g)?.length ?? 0;
  // Farther first: more `../` sorts earlier.
  return `2${String(99 - depth).padStart(2, "0")}`;
}

function stripped(source: string): string {
  return source.replace(/^(\.\.\/)+|^\.\//, "");
}

/**
 * Biome's order: digits as numbers, letters by letter whatever their case (an upper-case one first
 * when only the case differs), and `/` before `.` before `_` before `-` before digits before letters.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const digitsA = /^\d+/.exec(a.slice(i))?.[0];
    const digitsB = /^\d+/.exec(b.slice(j))?.[0];
    if (digitsA !== undefined && digitsB !== undefined) {
      const difference = Number(digitsA) - Number(digitsB);
      if (difference !== 0) return difference;
      i += digitsA.length;
      j += digitsB.length;
      continue;
    }
    const difference = rank(a.charAt(i)) - rank(b.charAt(j));
    if (difference !== 0) return difference;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

const PUNCTUATION = "/._$-";

function rank(char: string): number {
  const punctuation = PUNCTUATION.indexOf(char);
  if (punctuation >= 0) return punctuation;
  if (/\d/.test(char)) return 10;
  if (/[a-z]/i.test(char)) {
    const lower = char.toLowerCase();
    return 20 + 2 * (lower.charCodeAt(0) - 97) + (char === lower ? 1 : 0);
  }
  return 100 + char.charCodeAt(0);
}
