import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../command-errors.js";
import { contextNames, useCaseNames } from "./names.js";
import { applyPlan, CONTEXT_LIST, contextPlan, type Plan, useCasePlan } from "./scaffold.js";

export const NEW_USAGE =
  "keel new context <name> [--plural <word>] | command|query <context> <Name>  [--dry-run]   scaffold a context, or a command or query of one";

/**
 * `keel new`: writes a context, or a command or query of one, into the repository it is run in, from
 * the templates in ./templates. Run from the repository's root, before anything is configured: it
 * reads and writes source files only.
 */
export function newCommand(
  root: string,
  args: readonly string[],
  print: (line: string) => void,
  now: () => Date = () => new Date(),
): void {
  const { positional, dryRun, plural } = parsed(args);
  if (!existsSync(join(root, CONTEXT_LIST)))
    throw new UsageError(`run keel new from the root of a keel repository: ${root} has no ${CONTEXT_LIST}`);
  const [what, first, second, ...rest] = positional;
  if (rest.length > 0) throw new UsageError(`unexpected ${rest.join(" ")}\nusage: ${NEW_USAGE}`);

  let plan: Plan;
  let next: string[];
  if (what === "context" && first !== undefined && second === undefined) {
    const names = contextNames(first, plural);
    plan = contextPlan(root, names, now());
    const k = names.kebab;
    next = [
      `src/domain/${k}/${k}.ts: the aggregate's rules (and its events in ${k}-state.ts)`,
      `test/adapters/${k}/${k}.access.ts: who may call each route, if not only admin`,
      `src/bootstrap/${k}/${k}-context.ts: settings, if it needs any (then regenerate the README's table)`,
      "make client: the typed client's types, which now have its routes",
    ];
  } else if ((what === "command" || what === "query") && first !== undefined && second !== undefined) {
    if (plural !== undefined) throw new UsageError(`--plural names a new context's plural, not a ${what}'s`);
    const context = contextNames(first);
    const useCase = useCaseNames(second);
    plan = useCasePlan(root, what, context, useCase);
    next = [`src/application/${context.kebab}/${useCase.kebab}.ts: what ${useCase.pascal} does`];
  } else {
    throw new UsageError(`usage: ${NEW_USAGE}`);
  }
  applyPlan(root, plan, { dryRun, print });
  if (!dryRun) for (const step of ["next:", ...next.map((step) => `  ${step}`)]) print(step);
}

function parsed(args: readonly string[]): { positional: string[]; dryRun: boolean; plural?: string } {
  const positional: string[] = [];
  let dryRun = false;
  let plural: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (arg === "--dry-run") dryRun = true;
    else if (arg === "--plural") {
      plural = args[++index];
      if (plural === undefined) throw new UsageError("--plural needs a word");
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}\nusage: ${NEW_USAGE}`);
    else positional.push(arg);
  }
  return { positional, dryRun, ...(plural === undefined ? {} : { plural }) };
}
