import type { LiveConfig } from "../../ports/live-config.js";
import type { ConfigIssue } from "./config-issue.js";
import type { Entry } from "./define-config.js";
import type { AppConfig } from "./definition.js";
import { toEnvSegment } from "./key-case.js";
import type { LoadResult } from "./load-config.js";
import { getPath, setPath } from "./object-path.js";
import { selectView } from "./select-view.js";
import { structurallyEqual } from "./structurally-equal.js";

export interface ReloadReport {
  /** Env keys of live settings whose new value is now in effect. */
  readonly applied: string[];
  /** Env keys of restart-only settings that changed: the old value is kept until the process restarts. */
  readonly ignoredRestartOnly: string[];
  /** Why the re-read config was refused; the current config is kept whole. */
  readonly errors: readonly ConfigIssue[];
}

export interface ConfigStoreOptions<C> {
  /** Which settings are live, and where each sits in the config. */
  readonly definition: { readonly entries: readonly Entry[] };
  /** The config loaded at start-up. */
  readonly config: C;
  /** Reads every layer again, as at start-up. */
  readonly reread: () => LoadResult<C>;
}

/** The changed env keys of one entry: a family reports each flag that was added, removed or flipped. */
function changedKeys(entry: Entry, before: unknown, after: unknown): string[] {
  if (entry.kind === "setting") return structurallyEqual(before, after) ? [] : [entry.key];
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...names]
    .filter((name) => !structurallyEqual(getPath(before, [name]), getPath(after, [name])))
    .map((name) => `${entry.prefix}${toEnvSegment(name)}`);
}

/** Holds the config in effect; `reload()` swaps in new values of live settings only. */
export class ConfigStore<C = AppConfig> implements LiveConfig<C> {
  readonly #entries: readonly Entry[];
  readonly #reread: () => LoadResult<C>;
  readonly #listeners = new Set<(next: C, previous: C) => void>();
  #current: C;

  constructor({ definition, config, reread }: ConfigStoreOptions<C>) {
    this.#entries = definition.entries;
    this.#current = config;
    this.#reread = reread;
  }

  get(): C {
    return this.#current;
  }

  subscribe(listener: (next: C, previous: C) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  select<U>(selector: (config: C) => U): LiveConfig<U> {
    return selectView(this, selector);
  }

  reload(): ReloadReport {
    const loaded = this.#reread();
    if (!loaded.ok) return { applied: [], ignoredRestartOnly: [], errors: loaded.issues };
    const previous = this.#current;
    const next = structuredClone(previous);
    const applied: string[] = [];
    const ignoredRestartOnly: string[] = [];
    for (const entry of this.#entries) {
      const after = getPath(loaded.config, entry.path);
      const changed = changedKeys(entry, getPath(previous, entry.path), after);
      if (changed.length === 0) continue;
      if (entry.meta.live) {
        setPath(next, entry.path, after);
        applied.push(...changed);
      } else {
        ignoredRestartOnly.push(...changed);
      }
    }
    if (applied.length > 0) {
      this.#current = next;
      for (const listener of [...this.#listeners]) listener(next, previous);
    }
    return { applied, ignoredRestartOnly, errors: [] };
  }
}
