/**
 * The one place the deployment checks read keel's configuration definition from: the keys it knows,
 * which are secret, their production defaults, and keel's own loader. When the definition moves or
 * changes shape, only this file changes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appConfig, loadConfig } from "../../src/bootstrap/app-config.js";
import { formatConfigIssues } from "../../src/bootstrap/config/index.js";

interface KnownSetting {
  readonly secret: boolean;
  /** The default under APP_ENV=production, as the env string; undefined when it has none. */
  readonly productionDefault: string | undefined;
}

const settings = new Map<string, KnownSetting>();
const familyPrefixes: string[] = [];
for (const entry of appConfig.entries) {
  if (entry.kind === "family") {
    familyPrefixes.push(entry.prefix);
    continue;
  }
  const defaults = entry.meta.default;
  settings.set(entry.key, {
    secret: entry.meta.secret === true,
    productionDefault: typeof defaults === "object" ? defaults.production : defaults,
  });
}

/** Whether keel reads `key`: one of its settings, or a member of a family (`FEATURES__NEW_CHECKOUT`). */
export function isKeelKey(key: string): boolean {
  return (
    settings.has(key) ||
    familyPrefixes.some(
      (prefix) => key.startsWith(prefix) && /^[A-Z][A-Z0-9_]*$/.test(key.slice(prefix.length)),
    )
  );
}

export function isSecretKey(key: string): boolean {
  return settings.get(key)?.secret === true;
}

/** The keys keel marks secret (their values never appear in errors or logs). */
export function secretKeys(): string[] {
  return [...settings].flatMap(([key, setting]) => (setting.secret ? [key] : []));
}

/** What keel uses for `key` in production when nothing sets it. */
export function productionDefault(key: string): string | undefined {
  if (!settings.has(key)) throw new Error(`${key} is not a key of keel's configuration`);
  return settings.get(key)?.productionDefault;
}

export type ConfigOutcome = { readonly ok: true } | { readonly ok: false; readonly issues: string };

/**
 * Loads `env` as keel does at start-up (no .env files: an empty directory), and says whether keel
 * would start with it or, if not, why (secrets shown as *** by keel's own formatting).
 */
export function keelAccepts(env: Readonly<Record<string, string>>): ConfigOutcome {
  const dir = mkdtempSync(join(tmpdir(), "keel-deploy-config-"));
  try {
    const loaded = loadConfig({ env, dir });
    return loaded.ok ? { ok: true } : { ok: false, issues: formatConfigIssues(loaded.issues) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** keel's development JWT secret, which production must refuse. */
export { DEVELOPMENT_JWT_SECRET } from "../../src/bootstrap/config/definition.js";
