import type { ConfigIssue, ConfigSource } from "./config-issue.js";
import { REDACTED } from "./config-issue.js";
import type { Entry } from "./define-config.js";
import { isEnvSegment } from "./key-case.js";

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function closest(key: string, known: readonly string[]): string | undefined {
  const ranked = known
    .map((candidate) => ({ candidate, distance: editDistance(key, candidate) }))
    .sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best !== undefined && best.distance <= 3 ? best.candidate : undefined;
}

/**
 * Typo protection for .env files: a key under one of our sections (`HTTP__PROT`) that names no setting is an
 * error, not silently ignored. Other keys belong to someone else. The process environment is not checked: it
 * holds whatever the platform puts there.
 */
export function unknownKeyIssues(
  entries: readonly Entry[],
  file: { readonly source: ConfigSource; readonly vars: Readonly<Record<string, string | undefined>> },
): ConfigIssue[] {
  const settingKeys = entries.flatMap((entry) => (entry.kind === "setting" ? [entry.key] : []));
  const families = entries.flatMap((entry) => (entry.kind === "family" ? [entry] : []));
  const sectionPrefixes = new Set(
    entries.flatMap((entry) => {
      const [section, ...rest] = entry.key.split("__");
      return rest.length > 0 ? [`${section}__`] : [];
    }),
  );
  // Sorted so the report does not depend on the .env parser's key order.
  return Object.keys(file.vars)
    .sort()
    .flatMap((key): ConfigIssue[] => {
      const looksOurs = [...sectionPrefixes].some((prefix) => key.startsWith(prefix));
      if (!looksOurs || settingKeys.includes(key)) return [];
      const owner = families.find((entry) => key.startsWith(entry.prefix));
      if (owner !== undefined && isEnvSegment(key.slice(owner.prefix.length))) return [];
      const suggestion = owner === undefined ? closest(key, settingKeys) : undefined;
      const expected =
        owner !== undefined
          ? `${owner.key} with NAME in UPPER_SNAKE_CASE`
          : suggestion !== undefined
            ? `a known key (did you mean ${suggestion}?)`
            : "a known key (see .env.example)";
      return [{ key, source: file.source, value: REDACTED, expected }];
    });
}
