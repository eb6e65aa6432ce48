import { UsageError } from "../command-errors.js";

/** One name in every spelling the generated code needs, derived from what the user typed. */
export interface NameForms {
  /** `purchase-order`: folders, files, the context's name, routes, permissions, event types. */
  readonly kebab: string;
  /** `purchaseOrder`: variables and fields. */
  readonly camel: string;
  /** `PurchaseOrder`: classes and types. */
  readonly pascal: string;
  /** `purchase_order`: SQL. */
  readonly snake: string;
  /** `PURCHASE_ORDER`: constants. */
  readonly constant: string;
  /** `purchase order`: prose. */
  readonly words: string;
  /** `Purchase order`: prose at the start of a sentence. */
  readonly Words: string;
}

export interface ContextNames extends NameForms {
  /** `a purchase order`, `an invoice`. */
  readonly aWords: string;
  readonly plural: NameForms;
}

/**
 * Context names are kebab-case words, short enough that every generated line stays within the
 * formatter's width and every SQL name within PostgreSQL's 63 bytes.
 */
export const MAX_CONTEXT_NAME = 20;
/** Command and query names are PascalCase, a verb first: `IssueInvoice`, `CountOverdueInvoices`. */
export const MAX_USE_CASE_NAME = 32;

/** Names that mean something else in keel: `shared` holds what contexts share, `contexts.ts` lists them. */
const KEEL_NAMES = ["shared", "contexts"];

/**
 * Names that would make a template declare one identifier twice in a file: context `body` makes
 * `CreateBody`, the name of the create route's body codec; `query` makes `Query` in the spec harness,
 * which imports the bus's `Query`. test/scaffold/names.test.ts finds every such name in the templates
 * and fails until it is listed here. The foundation's folders in each layer (`http`, `memory` ...) are
 * refused from the disk.
 */
const CLASHING_CONTEXT_NAMES = (
  "aggregate-root assert authorization-behaviour body clock command concurrency-conflict " +
  "context created db domain entity error execution-context field fixed-clock handler i-d id " +
  "id-generator input invalid-value loaded made memory-database memory-event-log " +
  "memory-unit-of-work message-bus n-o-w name persistence-store query rebuilt refusals refused " +
  "requires requires-permission row scenario sequential-ids t0 test token transaction-scope " +
  "twice unit-of-work-behaviour written"
).split(" ");
const CLASHING_PLURALS = (
  "bind-adapter bind-command bind-query clock container context criteria define-context id ids " +
  "input made name normalised query requires requires-permission view"
).split(" ");
const CLASHING_USE_CASES = "Command ExecutionContext Forbidden Handler NotFound Query Written".split(" ");

const RESERVED_CONTEXT_NAMES = new Set([...KEEL_NAMES, ...CLASHING_CONTEXT_NAMES]);

const JS_RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined"
  ).split(" "),
);

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const PASCAL = /^[A-Z][a-zA-Z0-9]*$/;

export function contextNames(input: string, pluralInput?: string): ContextNames {
  const words = kebabWords(input, "context name");
  if (input.length > MAX_CONTEXT_NAME)
    throw new UsageError(`the context name ${input} is longer than ${MAX_CONTEXT_NAME} characters`);
  if (RESERVED_CONTEXT_NAMES.has(input))
    throw new UsageError(`${input} is reserved (keel or its templates use it): choose another name`);
  const singular = forms(words);
  refuseUnusable(singular, input);
  const pluralWords =
    pluralInput === undefined
      ? [...words.slice(0, -1), pluralOf(words.at(-1) ?? "")]
      : kebabWords(pluralInput, "plural");
  const plural = forms(pluralWords);
  refuseUnusable(plural, pluralInput ?? plural.kebab);
  if (CLASHING_PLURALS.includes(plural.kebab))
    throw new UsageError(
      `the plural ${plural.kebab} is reserved (the templates use it): give another with --plural`,
    );
  if (plural.kebab === singular.kebab)
    throw new UsageError(`the plural of ${input} must differ from it: give one with --plural`);
  return { ...singular, aWords: `${article(singular.words)} ${singular.words}`, plural };
}

/** A command's or query's name: PascalCase as typed (`IssueInvoice`), or kebab-case (`issue-invoice`). */
export function useCaseNames(input: string): NameForms {
  const words = PASCAL.test(input) ? pascalWords(input) : kebabWords(input, "command or query name");
  const names = forms(words);
  if (PASCAL.test(input) && names.pascal !== input)
    throw new UsageError(`${input} does not split into words unambiguously: write it ${names.pascal}`);
  if (names.pascal.length > MAX_USE_CASE_NAME)
    throw new UsageError(`${names.pascal} is longer than ${MAX_USE_CASE_NAME} characters`);
  refuseUnusable(names, input);
  if (CLASHING_USE_CASES.includes(names.pascal))
    throw new UsageError(`${names.pascal} is reserved (the templates use it): choose another name`);
  return names;
}

function kebabWords(input: string, what: string): string[] {
  if (!KEBAB.test(input)) {
    const hint =
      PASCAL.test(input) || /^[a-z][a-zA-Z0-9]*$/.test(input) ? `: write it ${toKebab(input)}` : "";
    throw new UsageError(
      `the ${what} ${JSON.stringify(input)} is not kebab-case (lower-case letters and digits, words joined by single dashes, a letter first)${hint}`,
    );
  }
  return input.split("-");
}

function pascalWords(input: string): string[] {
  return toKebab(input).split("-");
}

function toKebab(input: string): string {
  return input
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

function forms(words: readonly string[]): NameForms {
  const capital = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
  const pascal = words.map(capital).join("");
  return {
    kebab: words.join("-"),
    camel: `${words[0] ?? ""}${words.slice(1).map(capital).join("")}`,
    pascal,
    snake: words.join("_"),
    constant: words.join("_").toUpperCase(),
    words: words.join(" "),
    Words: capital(words.join(" ")),
  };
}

/** The identifiers a name becomes must be ones the generated code can declare. */
function refuseUnusable(names: NameForms, input: string): void {
  if (JS_RESERVED.has(names.camel))
    throw new UsageError(`${input} would make ${names.camel}, a reserved word in JavaScript`);
  // `Date`, `Map`, `Error`, `Promise` ...: a class of that name would hide the global the code uses.
  if (names.pascal in globalThis || names.camel in globalThis)
    throw new UsageError(`${input} would make ${names.pascal}, which JavaScript already defines`);
}

/** English plurals by the regular rules; anything else is given with --plural. */
function pluralOf(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** "an invoice", "a user", "an hour": by the sound, as far as spelling tells. */
function article(words: string): string {
  if (/^(hour|honest|honou?r|heir)/.test(words)) return "an";
  if (/^(u[bcfgklmnprstv][aeiou]|eu|one|uni)/.test(words)) return "a";
  return /^[aeiou]/.test(words) ? "an" : "a";
}
