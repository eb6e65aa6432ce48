import type { AppEnv } from "./define-config.js";

/** sysexits.h EX_CONFIG: the process cannot start because its configuration is wrong. */
export const CONFIG_EXIT_CODE = 78;

export type ConfigSource = "default" | ".env" | `.env.${AppEnv}` | "environment";

/** Stands in for the value of a secret key, and for the value of an unknown key, which may be a misspelt secret. */
export const REDACTED = "***";

/** One bad key. Safe to log: `value` is already redacted where needed. */
export interface ConfigIssue {
  readonly key: string;
  readonly source: ConfigSource;
  /** The raw value as read, `***` if it may be secret, undefined if the key is not set at all. */
  readonly value: string | undefined;
  readonly expected: string;
}

function describeValue({ value, source }: ConfigIssue): string {
  if (value === undefined) return "not set";
  return `${value === REDACTED ? REDACTED : JSON.stringify(value)} from ${source}`;
}

/** A header, then one line per bad key. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) => `  ${issue.key} (${describeValue(issue)}): expected ${issue.expected}`);
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return [`Invalid configuration (${count}):`, ...lines].join("\n");
}
