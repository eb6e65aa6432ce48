import { isLeft } from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { PathReporter } from "io-ts/lib/PathReporter.js";
import type { ConfigIssue, ConfigSource } from "./config-issue.js";
import { REDACTED } from "./config-issue.js";
import type {
  AppEnv,
  ConfigDefinition,
  ConfigOf,
  Defaults,
  Entry,
  PartialConfig,
  RootSection,
} from "./define-config.js";
import { APP_ENVS } from "./define-config.js";
import { readEnvFile } from "./env-files.js";
import { isEnvSegment, toPropertyName } from "./key-case.js";
import { setPath } from "./object-path.js";
import { unknownKeyIssues } from "./unknown-keys.js";

type Vars = Readonly<Record<string, string | undefined>>;

export interface LoadOptions {
  /** The process environment, or a stand-in in tests. */
  readonly env: Vars;
  /** Where `.env` and `.env.<APP_ENV>` are read from; the working directory unless given. */
  readonly dir?: string;
}

export type LoadResult<C> =
  | { readonly ok: true; readonly config: C; readonly sources: Readonly<Record<string, ConfigSource>> }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

interface Layer {
  readonly source: ConfigSource;
  readonly vars: Vars;
}

/** One env key's raw value, where it came from, and where it goes in the config. */
interface RawSetting {
  readonly key: string;
  readonly path: readonly string[];
  readonly source: ConfigSource;
  readonly value: string | undefined;
}

function defaultFor(defaults: Defaults, appEnv: AppEnv): string | undefined {
  return typeof defaults === "object" ? defaults[appEnv] : defaults;
}

/** `layers` come highest first: the first that sets the key wins. */
function resolveSetting(
  entry: Entry & { kind: "setting" },
  layers: readonly Layer[],
  appEnv: AppEnv,
): RawSetting {
  const { key, path } = entry;
  for (const { source, vars } of layers) {
    const value = vars[key];
    if (value !== undefined) return { key, path, source, value };
  }
  return { key, path, source: "default", value: defaultFor(entry.meta.default, appEnv) };
}

function resolveFamily(entry: Entry & { kind: "family" }, layers: readonly Layer[]): RawSetting[] {
  const members = new Map<string, RawSetting>();
  for (const { source, vars } of [...layers].reverse()) {
    for (const [key, value] of Object.entries(vars)) {
      const name = key.slice(entry.prefix.length);
      if (!key.startsWith(entry.prefix) || !isEnvSegment(name) || value === undefined) continue;
      members.set(key, { key, path: [...entry.path, toPropertyName(name)], source, value });
    }
  }
  return [...members.values()];
}

function expectation(codec: t.Mixed, errors: t.Errors, secret: boolean): string {
  // A codec's detail may quote the value, so a secret gets the codec's name only.
  const detail = secret ? undefined : errors.find((error) => error.message !== undefined)?.message;
  return detail === undefined ? codec.name : `${codec.name}; ${detail}`;
}

function issueFor(raw: RawSetting, secret: boolean, expected: string): ConfigIssue {
  const value = secret && raw.value !== undefined ? REDACTED : raw.value;
  return { key: raw.key, source: raw.source, value, expected };
}

/**
 * Reads the layers — defaults < `.env` < `.env.<APP_ENV>` < `env` — and decodes them. Every problem is collected,
 * so one failed start lists all of them.
 */
export function loadConfigWith<S extends RootSection>(
  definition: ConfigDefinition<S>,
  { env, dir = process.cwd() }: LoadOptions,
): LoadResult<ConfigOf<S>> {
  const dotEnv: Layer = { source: ".env", vars: readEnvFile(dir, ".env") };
  const requested = env.APP_ENV ?? dotEnv.vars.APP_ENV;
  // A bad APP_ENV is reported with the rest; development defaults meanwhile let every other key be checked.
  const appEnv = APP_ENVS.find((name) => name === requested) ?? "development";
  const envFileName = `.env.${appEnv}` as const;
  const envFile: Layer = {
    source: envFileName,
    vars: requested === undefined || requested === appEnv ? readEnvFile(dir, envFileName) : {},
  };
  const layers: Layer[] = [{ source: "environment", vars: env }, envFile, dotEnv];

  const input: Record<string, unknown> = {};
  const partial: Record<string, unknown> = {};
  const raws = new Map<string, { raw: RawSetting; secret: boolean }>();
  const issues: ConfigIssue[] = [];
  for (const entry of definition.entries) {
    if (entry.kind === "family") {
      setPath(input, entry.path, {});
      setPath(partial, entry.path, {});
    }
    const members =
      entry.kind === "setting" ? [resolveSetting(entry, layers, appEnv)] : resolveFamily(entry, layers);
    const secret = entry.meta.secret === true;
    for (const raw of members) {
      raws.set(raw.key, { raw, secret });
      setPath(input, raw.path, raw.value);
      const decoded = entry.codec.decode(raw.value);
      if (isLeft(decoded)) {
        issues.push(issueFor(raw, secret, expectation(entry.codec, decoded.left, secret)));
        if (entry.kind === "setting") setPath(partial, raw.path, undefined);
      } else {
        setPath(partial, raw.path, decoded.right);
      }
    }
  }

  const envFileAppEnv = envFile.vars.APP_ENV;
  if (envFileAppEnv !== undefined && envFileAppEnv !== appEnv) {
    issues.push({
      key: "APP_ENV",
      source: envFileName,
      value: envFileAppEnv,
      expected: `${appEnv} or nothing: APP_ENV chooses ${envFileName}, so change it in the environment or .env`,
    });
  }
  issues.push(
    ...unknownKeyIssues(definition.entries, dotEnv),
    ...unknownKeyIssues(definition.entries, envFile),
  );

  for (const rule of definition.rules) {
    // `partial` was built from the same entries that define PartialConfig<S>, one setPath per setting.
    for (const violation of rule(partial as PartialConfig<S>)) {
      const { raw, secret } = raws.get(violation.key) ?? {
        raw: { key: violation.key, path: [], source: "default", value: undefined },
        secret: false,
      };
      issues.push(issueFor(raw, secret, violation.expected));
    }
  }

  if (issues.length > 0) return { ok: false, issues };
  const decoded = definition.codec.decode(input);
  if (isLeft(decoded)) {
    throw new Error(
      `config codec refused values its settings accepted: ${PathReporter.report(decoded).join("; ")}`,
    );
  }
  const sources = Object.fromEntries([...raws.values()].map(({ raw }) => [raw.key, raw.source]));
  return { ok: true, config: decoded.right, sources };
}
