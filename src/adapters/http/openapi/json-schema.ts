import type * as t from "io-ts";

export type JsonSchema = { readonly [keyword: string]: unknown };

/** Turns a codec into a schema; handed to descriptions that are built from other codecs. */
export type Convert = (codec: AnyCodec) => JsonSchema;

// biome-ignore lint/suspicious/noExplicitAny: any decoder or encoder, whatever its types
export type AnyCodec = t.Decoder<any, any> | t.Encoder<any, any>;

interface Description {
  readonly schema: JsonSchema | ((convert: Convert) => JsonSchema);
  /** May be absent where it is a property: not listed in `required`. */
  readonly optional?: boolean;
}

/**
 * What keel's own codecs (built with `new t.Type`, which io-ts cannot look into) say they accept.
 * Each codec builder in codecs.ts describes what it builds, next to the rule it checks, so the
 * two are written once, together.
 */
const descriptions = new WeakMap<object, Description>();

export function describe<C extends AnyCodec>(codec: C, schema: Description["schema"], optional = false): C {
  descriptions.set(codec, { schema, optional });
  return codec;
}

/** A codec the converter cannot describe: start-up stops, naming where it is used. */
export class UndescribableCodec extends Error {
  constructor(
    readonly where: string,
    readonly codecName: string,
  ) {
    super(
      `${where}: cannot describe codec "${codecName}" in OpenAPI; build it from codecs.ts or describe() it`,
    );
    this.name = "UndescribableCodec";
  }
}

/** Whether a codec, as a property of an object, may be left out. */
export function isOptional(codec: AnyCodec): boolean {
  return descriptions.get(codec)?.optional === true;
}

interface Tagged {
  readonly _tag?: string;
  readonly name?: string;
  readonly props?: t.Props;
  readonly type?: AnyCodec;
  readonly types?: readonly AnyCodec[];
  readonly keys?: Record<string, unknown>;
  readonly value?: unknown;
  readonly codomain?: AnyCodec;
}

/**
 * A JSON Schema (2020-12, as OpenAPI 3.1 uses) for a codec: io-ts's own combinators by their tag,
 * keel's by their description. `named` decides which codecs become shared components (returns a
 * `$ref` for them) — see openapi-document.ts.
 */
export function toJsonSchema(
  codec: AnyCodec,
  where: string,
  named: (codec: AnyCodec, build: () => JsonSchema) => JsonSchema | undefined = () => undefined,
): JsonSchema {
  const convert: Convert = (inner) => {
    const shared = named(inner, () => plain(inner));
    return shared ?? plain(inner);
  };
  const plain = (inner: AnyCodec): JsonSchema => {
    const described = descriptions.get(inner);
    if (described !== undefined)
      return typeof described.schema === "function" ? described.schema(convert) : described.schema;
    const c = inner as Tagged;
    switch (c._tag) {
      case "StringType":
        return { type: "string" };
      case "NumberType":
        return { type: "number" };
      case "BooleanType":
        return { type: "boolean" };
      case "NullType":
        return { type: "null" };
      case "LiteralType":
        return { const: c.value };
      case "KeyofType":
        return { type: "string", enum: Object.keys(c.keys ?? {}) };
      case "ArrayType":
      case "ReadonlyArrayType":
        return { type: "array", items: convert(c.type as AnyCodec) };
      case "DictionaryType":
        return { type: "object", additionalProperties: convert(c.codomain as AnyCodec) };
      case "InterfaceType":
        return objectSchema(c.props ?? {}, true, convert);
      case "PartialType":
        return objectSchema(c.props ?? {}, false, convert);
      case "ExactType":
        return { ...convert(c.type as AnyCodec), additionalProperties: false };
      case "UnionType":
        return unionSchema((c.types ?? []).map(convert));
      case "IntersectionType":
        return mergeObjects(
          (c.types ?? []).map((part) => resolved(part, convert)),
          where,
        );
      default:
        throw new UndescribableCodec(where, c.name ?? "(unnamed)");
    }
  };
  return convert(codec);
}

/** An object's schema with its properties; optional ones (see `describe`) are not required. */
export function objectSchema(props: t.Props, requireAll: boolean, convert: Convert): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, codec] of Object.entries(props)) {
    properties[key] = convert(codec);
    if (requireAll && !isOptional(codec)) required.push(key);
  }
  return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
}

function unionSchema(members: readonly JsonSchema[]): JsonSchema {
  if (members.every((m) => "const" in m)) return { enum: members.map((m) => m.const) };
  return { anyOf: members };
}

/** A part of an intersection, with any shared-component reference replaced by its schema. */
function resolved(codec: AnyCodec, convert: Convert): JsonSchema {
  const described = descriptions.get(codec);
  if (described !== undefined) return convert(codec);
  const inner = (codec as Tagged)._tag === "ExactType" ? (codec as Tagged).type : undefined;
  return inner === undefined ? convert(codec) : { ...convert(inner), additionalProperties: false };
}

/**
 * An intersection of objects is one object with every part's properties: `allOf` of closed objects
 * (additionalProperties: false) would refuse every value, each part refusing the other's fields.
 */
function mergeObjects(parts: readonly JsonSchema[], where: string): JsonSchema {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  let closed = true;
  for (const part of parts) {
    if (part.type !== "object") throw new UndescribableCodec(where, "an intersection of non-objects");
    Object.assign(properties, part.properties);
    required.push(...((part.required as string[] | undefined) ?? []));
    if (part.additionalProperties !== false) closed = false;
  }
  return {
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(closed ? { additionalProperties: false } : {}),
  };
}
