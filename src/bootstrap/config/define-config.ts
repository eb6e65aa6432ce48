import * as t from "io-ts";
import { oneOf } from "./codecs.js";
import { type EnvSegment, toEnvSegment } from "./key-case.js";

export const APP_ENVS = ["development", "test", "production"] as const;
export type AppEnv = (typeof APP_ENVS)[number];

/**
 * Defaults are written as the env string they stand for, so they are decoded and validated exactly like
 * user input. `undefined` means the setting is required.
 */
export type DefaultValue = string | undefined;
export type Defaults = DefaultValue | { readonly [E in AppEnv]: DefaultValue };

export interface FamilyMeta {
  /** One line, shown in the config table and in .env.example. */
  readonly description: string;
  /** Live settings take effect on reload; the others keep their start-up value until a restart. */
  readonly live: boolean;
  /** A secret's value never appears in errors or logs. */
  readonly secret?: boolean;
}

export interface SettingMeta extends FamilyMeta {
  readonly default: Defaults;
  /**
   * Set when the default is made from the contexts (the role map from their permissions' grants):
   * what the docs show instead of the value, which changes with every context added.
   */
  readonly composedDefault?: string;
}

/** One env key, decoded by `codec`. */
export class Setting<C extends t.Mixed> {
  readonly kind = "setting";
  constructor(
    readonly codec: C,
    readonly meta: SettingMeta,
  ) {}
}

/** Any number of env keys under one prefix (`FEATURES__<NAME>`), collected into a record keyed by camelCase name. */
export class Family<C extends t.Mixed> {
  readonly kind = "family";
  constructor(
    readonly codec: C,
    readonly meta: FamilyMeta,
  ) {}
}

export const setting = <C extends t.Mixed>(codec: C, meta: SettingMeta): Setting<C> =>
  new Setting(codec, meta);
export const family = <C extends t.Mixed>(codec: C, meta: FamilyMeta): Family<C> => new Family(codec, meta);

/** Nested sections become nested objects in the config and `__`-separated segments in env keys. */
export interface Section {
  readonly [property: string]: Setting<t.Mixed> | Family<t.Mixed> | Section;
}

/** The loader needs APP_ENV to pick defaults and the `.env.<APP_ENV>` file, so every definition declares it. */
export const appEnvSetting = setting(oneOf(APP_ENVS), {
  default: "development",
  live: false,
  description: "Deployment environment; picks the defaults and the .env.<APP_ENV> file.",
});

export interface RootSection extends Section {
  readonly appEnv: typeof appEnvSetting;
}

type NodeCodec<N> =
  N extends Setting<infer C extends t.Mixed>
    ? C
    : N extends Family<infer C extends t.Mixed>
      ? t.ReadonlyC<t.RecordC<t.StringC, C>>
      : N extends Section
        ? CodecOf<N>
        : never;

export type CodecOf<S extends Section> = t.ReadonlyC<t.TypeC<{ [P in keyof S]: NodeCodec<S[P]> }>>;
export type ConfigOf<S extends Section> = t.TypeOf<CodecOf<S>>;

/** The config as far as it decoded: a setting whose value was refused is `undefined`. */
export type PartialConfig<S extends Section> = {
  readonly [P in keyof S]: S[P] extends Setting<infer C extends t.Mixed>
    ? t.TypeOf<C> | undefined
    : S[P] extends Family<infer C extends t.Mixed>
      ? Readonly<Record<string, t.TypeOf<C>>>
      : S[P] extends Section
        ? PartialConfig<S[P]>
        : never;
};

export type EnvKeyOf<S extends Section, Prefix extends string = ""> = {
  [P in keyof S & string]: S[P] extends Setting<t.Mixed>
    ? `${Prefix}${EnvSegment<P>}`
    : S[P] extends Family<t.Mixed>
      ? `${Prefix}${EnvSegment<P>}__${string}`
      : S[P] extends Section
        ? EnvKeyOf<S[P], `${Prefix}${EnvSegment<P>}__`>
        : never;
}[keyof S & string];

export interface RuleViolation<Key extends string> {
  /** The key reported as wrong; its value and source are shown like those of any other bad key. */
  readonly key: Key;
  readonly expected: string;
}

/**
 * A cross-field check. It sees every setting that decoded, so its violations are listed together with all other
 * errors; a setting that failed to decode is `undefined` here.
 */
export type Rule<S extends Section> = (config: PartialConfig<S>) => readonly RuleViolation<EnvKeyOf<S>>[];

export type Entry =
  | {
      readonly kind: "setting";
      readonly key: string;
      readonly path: readonly string[];
      readonly codec: t.Mixed;
      readonly meta: SettingMeta;
    }
  | {
      readonly kind: "family";
      /** How the table shows it: `FEATURES__<NAME>`. */
      readonly key: string;
      /** `FEATURES__`: every env key starting with it belongs to the family. */
      readonly prefix: string;
      readonly path: readonly string[];
      readonly codec: t.Mixed;
      readonly meta: FamilyMeta;
    };

export interface ConfigDefinition<S extends RootSection> {
  /** The one codec of the whole config; its type is the config's type. */
  readonly codec: CodecOf<S>;
  /** Every setting and family, flattened with its env key: the source of defaults, docs and reload policy. */
  readonly entries: readonly Entry[];
  readonly rules: readonly Rule<S>[];
}

function codecOf(section: Section): t.Mixed {
  const props: t.Props = {};
  for (const [property, node] of Object.entries(section)) {
    props[property] =
      node instanceof Setting
        ? node.codec
        : node instanceof Family
          ? t.readonly(t.record(t.string, node.codec))
          : codecOf(node);
  }
  return t.readonly(t.type(props));
}

function entriesOf(section: Section, path: readonly string[]): Entry[] {
  return Object.entries(section).flatMap(([property, node]): Entry[] => {
    const nodePath = [...path, property];
    const key = nodePath.map(toEnvSegment).join("__");
    if (node instanceof Setting)
      return [{ kind: "setting", key, path: nodePath, codec: node.codec, meta: node.meta }];
    if (node instanceof Family) {
      const prefix = `${key}__`;
      return [
        {
          kind: "family",
          key: `${prefix}<NAME>`,
          prefix,
          path: nodePath,
          codec: node.codec,
          meta: node.meta,
        },
      ];
    }
    return entriesOf(node, nodePath);
  });
}

/** The codec and the entries are both derived from `tree`, so they cannot drift apart. */
export function defineConfig<S extends RootSection>(
  tree: S,
  rules: readonly NoInfer<Rule<S>>[] = [],
): ConfigDefinition<S> {
  // Object.entries loses the per-property types that CodecOf<S> spells out; the walk builds exactly that shape.
  return { codec: codecOf(tree) as CodecOf<S>, entries: entriesOf(tree, []), rules };
}
