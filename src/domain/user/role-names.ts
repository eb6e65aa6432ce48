import { InvalidValue } from "../shared/domain-error.js";

/** Role names: lower-case words with dashes or underscores; the set is sorted and unique. */
export function roleNames(values: readonly string[]): string[] {
  const names = values.map((value) => value.trim().toLowerCase());
  const bad = names.find((name) => !/^[a-z][a-z0-9_-]{0,63}$/.test(name));
  if (bad !== undefined) throw new InvalidValue("roles", `"${bad}" is not a role name`);
  return [...new Set(names)].sort();
}
