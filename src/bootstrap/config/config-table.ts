import type { AppEnv, Defaults, Entry } from "./define-config.js";
import { APP_ENVS } from "./define-config.js";

export interface ConfigTableRow {
  readonly key: string;
  /** What the value must look like (the codec's name). */
  readonly type: string;
  readonly default: string;
  readonly reload: "live" | "restart";
  readonly secret: boolean;
  readonly description: string;
}

const showValue = (value: string | undefined): string =>
  value === undefined ? "(required)" : value === "" ? "(empty)" : value;

/** `3000`, or `development: true; test, production: false` when the default depends on APP_ENV. */
function showDefaults(defaults: Defaults): string {
  if (typeof defaults !== "object") return showValue(defaults);
  const byValue = new Map<string | undefined, AppEnv[]>();
  for (const appEnv of APP_ENVS) {
    const value = defaults[appEnv];
    byValue.set(value, [...(byValue.get(value) ?? []), appEnv]);
  }
  if (byValue.size === 1) return showValue(defaults.development);
  return [...byValue].map(([value, appEnvs]) => `${appEnvs.join(", ")}: ${showValue(value)}`).join("; ");
}

export function configTableRows(definition: { readonly entries: readonly Entry[] }): ConfigTableRow[] {
  return definition.entries.map((entry) => ({
    key: entry.key,
    type: entry.codec.name,
    default:
      entry.kind === "family" ? "(none)" : (entry.meta.composedDefault ?? showDefaults(entry.meta.default)),
    reload: entry.meta.live ? "live" : "restart",
    secret: entry.meta.secret === true,
    description: entry.meta.description,
  }));
}

/** Escapes what would end a cell (`|`), open an HTML tag (`<NAME>`) or start emphasis (`*`). */
const cell = (text: string): string => text.replace(/[|<*]/g, (character) => `\\${character}`);

const tableLine = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;

/** The README's configuration table. */
export function configTableMarkdown(rows: readonly ConfigTableRow[]): string {
  return [
    tableLine(["key", "value", "default", "reload", "description"]),
    tableLine(["---", "---", "---", "---", "---"]),
    ...rows.map((row) =>
      tableLine([
        `\`${row.key}\`${row.secret ? " (secret)" : ""}`,
        cell(row.type),
        cell(row.default),
        row.reload,
        cell(row.description),
      ]),
    ),
  ].join("\n");
}
