import fc from "fast-check";
import type { OpenApiDocument } from "./spec-check.js";

/**
 * Requests generated from an OpenAPI operation's own schemas: valid ones (every part as the document
 * describes it) and ones broken on purpose in exactly one place (a wrong type, a number out of range,
 * a missing or an extra field, a bad format, an oversized string, malformed JSON, a wrong content
 * type, a malformed path parameter...). A request is a `Draft` first: what it refers to that only
 * exists at run time (ids of resources created first, ETags seen so far, credentials) is named, and
 * `materialize` fills it in when it is sent.
 */

export type Principal = "anonymous" | "user" | "admin";
export const PRINCIPALS: readonly Principal[] = ["anonymous", "user", "admin"];

// biome-ignore lint/suspicious/noExplicitAny: JSON Schemas are read keyword by keyword
type Schema = any;

export interface Parameter {
  readonly name: string;
  readonly required: boolean;
  readonly schema: Schema;
}

export interface Operation {
  readonly method: string;
  /** As the document spells it, `/api/v1/products/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly pathParams: readonly Parameter[];
  readonly queryParams: readonly Parameter[];
  readonly headerParams: readonly string[];
  readonly body?: { readonly mediaType: string; readonly schema: Schema };
}

/** Every operation of a document, in its order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, operation] of Object.entries(item)) {
      const parameters = (operation.parameters ?? []) as Schema[];
      const of = (where: string): Parameter[] =>
        parameters
          .filter((p) => p.in === where)
          .map((p) => ({ name: p.name, required: p.required === true, schema: p.schema }));
      const content = operation.requestBody?.content as Record<string, { schema: Schema }> | undefined;
      const [mediaType, media] = Object.entries(content ?? {})[0] ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        pathParams: of("path"),
        queryParams: of("query"),
        headerParams: of("header").map((p) => p.name),
        ...(mediaType === undefined || media === undefined
          ? {}
          : { body: { mediaType, schema: media.schema } }),
      });
    }
  }
  return operations;
}

/** What a path parameter is: a resource that exists (the n-th of its kind), or this very text. */
export type PathValue = { readonly existing: number } | { readonly text: string };

/** A header's value: this text, or the n-th entity tag seen so far. */
export type HeaderValue = string | { readonly seenTag: number };

/** How the request authenticates: as its principal, or with credentials that do not hold. */
export type Credentials = "own" | "forged-token" | "unknown-key" | "not-bearer" | "token-and-key";

export type Payload =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "bytes"; readonly bytes: readonly number[] }
  /** A body of this many bytes, made when sent (it would be too large to carry in the draft). */
  | { readonly kind: "oversized"; readonly bytes: number };

export interface Draft {
  readonly operation: Operation;
  readonly principal: Principal;
  readonly pathParams: Readonly<Record<string, PathValue>>;
  /** Already encoded: `page=2&sort=name`. */
  readonly query: string;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly credentials: Credentials;
  readonly body?: { readonly contentType?: string; readonly payload: Payload };
  /** Generated to be accepted by the document in every part (a missing resource is still valid). */
  readonly valid: boolean;
  /** What was broken on purpose, e.g. `body.price: out of range`; "valid" when nothing was. */
  readonly broken: string;
}

/** Realistic values for fields with rules beyond their schema, so that valid requests also succeed. */
export interface Hints {
  /** Property or form-field name → values to try (each still checked against the schema). */
  readonly byName: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** Whether a value matches a schema of the document (the generator keeps hints that do). */
  readonly accepts: (schema: Schema, value: unknown) => boolean;
}

/** A request for one operation as one principal: valid about half the time, otherwise broken once. */
export function draftArbitrary(
  document: OpenApiDocument,
  operation: Operation,
  principal: Principal,
  hints: Hints,
): fc.Arbitrary<Draft> {
  const values = new Values(document, hints);
  const validParts = fc.record({
    pathParams: pathParams(operation, false),
    query: values.query(operation.queryParams),
    headers: headers(operation),
    body:
      operation.body === undefined
        ? fc.constant(undefined)
        : values.body(operation.body.mediaType, operation.body.schema),
  });
  const valid = validParts.map(
    (parts): Draft => ({
      operation,
      principal,
      pathParams: parts.pathParams,
      query: parts.query,
      headers: parts.headers,
      credentials: "own",
      ...(parts.body === undefined ? {} : { body: parts.body }),
      valid: true,
      broken: "valid",
    }),
  );
  const breakages: fc.Arbitrary<Draft>[] = [
    fc
      .tuple(
        valid,
        fc.constantFrom<Credentials>("forged-token", "unknown-key", "not-bearer", "token-and-key"),
      )
      .map(([draft, credentials]) => ({
        ...draft,
        credentials,
        valid: false,
        broken: `credentials: ${credentials}`,
      })),
    fc.tuple(valid, values.brokenQuery(operation.queryParams)).map(([draft, [query, what]]) => ({
      ...draft,
      query,
      valid: false,
      broken: `query: ${what}`,
    })),
  ];
  if (operation.pathParams.length > 0)
    breakages.push(
      fc.tuple(valid, pathParams(operation, true)).map(([draft, params]) => ({
        ...draft,
        pathParams: params,
        valid: false,
        broken: "path: malformed parameter",
      })),
    );
  const body = operation.body;
  if (body !== undefined)
    breakages.push(
      fc.tuple(valid, values.brokenBody(body.mediaType, body.schema)).map(([draft, [broken, what]]) => ({
        ...draft,
        body: broken,
        valid: false,
        broken: `body: ${what}`,
      })),
    );
  else if (operation.method !== "GET")
    breakages.push(
      fc.tuple(valid, values.unwantedBody()).map(([draft, [broken, what]]) => ({
        ...draft,
        body: broken,
        valid: false,
        broken: `body: ${what}`,
      })),
    );
  return fc.oneof({ weight: breakages.length, arbitrary: valid }, ...breakages);
}

function pathParams(operation: Operation, malformed: boolean): fc.Arbitrary<Record<string, PathValue>> {
  const good: fc.Arbitrary<PathValue> = fc.oneof(
    { weight: 3, arbitrary: fc.nat(20).map((existing) => ({ existing })) },
    { weight: 1, arbitrary: fc.uuid().map((text) => ({ text })) },
  );
  const bad: fc.Arbitrary<PathValue> = fc
    .oneof(
      fc.constantFrom(
        "not-a-uuid",
        "1",
        "00000000-0000-0000-0000-00000000000",
        "00000000-0000-0000-0000-0000000000000",
        "%E0%A4%A",
        "%zz",
        "%00",
        "..%2F..%2Fetc",
        "%F0%9F%92%A9",
        "null",
        "{id}",
      ),
      fc.string({ minLength: 1, maxLength: 40 }).map(percentEncode),
      fc.uuid().map((id) => `${id}x`),
      fc.nat(5000).map((n) => "a".repeat(n + 1)),
    )
    // A dot segment is no parameter: URLs are normalized (RFC 3986 5.2.4), `/products/./name` is `/products/name`.
    .filter((text) => !/^(\.|%2e){1,2}$/i.test(text))
    .map((text) => ({ text }));
  const names = operation.pathParams.map((p) => p.name);
  if (!malformed) return fc.record(Object.fromEntries(names.map((name) => [name, good])));
  // One parameter malformed, the others as they would be.
  return fc
    .tuple(fc.constantFrom(...names), fc.record(Object.fromEntries(names.map((name) => [name, good]))), bad)
    .map(([name, params, value]) => ({ ...params, [name]: value }));
}

function headers(operation: Operation): fc.Arbitrary<Record<string, HeaderValue>> {
  const condition: fc.Arbitrary<HeaderValue | undefined> = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.nat(50).map((seenTag) => ({ seenTag })) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "*",
        '"v1:00000000-0000-0000-0000-000000000000:1"',
        'W/"v2:x:1"',
        "garbage",
        '"a", "b"',
        '""',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: "binary-ascii" }).map(headerSafe) },
  );
  return fc
    .record(Object.fromEntries(operation.headerParams.map((name) => [name, condition])))
    .map(
      (all) =>
        Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as Record<
          string,
          HeaderValue
        >,
    );
}

/** Header values may not carry control characters (the client would refuse to send them). */
function headerSafe(text: string): string {
  return [...text].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join("");
}

/** Text keel can store: no NUL, no lone surrogate. Mostly ASCII, some of the rest of Unicode. */
const STORABLE_CHAR: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xfffd }).map((c) => String.fromCharCode(c)) },
  // Beyond the BMP: one code point, two UTF-16 code units (see `validText`).
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);

const codePoints = (text: string) => [...text].length;

class Values {
  constructor(
    private readonly document: OpenApiDocument,
    private readonly hints: Hints,
  ) {}

  resolve(schema: Schema): Schema {
    let current = schema;
    for (let depth = 0; typeof current?.$ref === "string" && depth < 10; depth++) {
      const name = current.$ref.replace("#/components/schemas/", "");
      current = this.document.components?.schemas?.[name];
      if (current === undefined) throw new Error(`unresolvable $ref ${schema.$ref}`);
    }
    return current;
  }

  /** A value the schema accepts; a hint for the field, when there is one and it fits. */
  valid(raw: Schema, name?: string): fc.Arbitrary<unknown> {
    const generated = this.generated(raw);
    const hint = name === undefined ? undefined : this.hints.byName[name];
    if (hint === undefined) return generated;
    // A hint that does not fit this schema (another operation's field of the same name) is not used.
    const fitting = hint.chain((value) => (this.hints.accepts(raw, value) ? fc.constant(value) : generated));
    return fc.oneof({ weight: 3, arbitrary: fitting }, { weight: 1, arbitrary: generated });
  }

  private generated(raw: Schema): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    if ("const" in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
    if (Array.isArray(schema.anyOf)) return fc.oneof(...schema.anyOf.map((s: Schema) => this.valid(s)));
    switch (schema.type) {
      case "string":
        return this.validString(schema);
      case "integer":
        return integerBetween(schema.minimum ?? -1_000_000, schema.maximum ?? 1_000_000);
      case "number":
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return fc.array(this.valid(schema.items ?? {}), { maxLength: 4 });
      case "object":
        return this.validObject(schema);
      default:
        return fc.jsonValue({ maxDepth: 1 });
    }
  }

  private validString(schema: Schema): fc.Arbitrary<string> {
    if (schema.format === "uuid") return fc.uuid();
    if (schema.format === "date-time")
      return fc
        .date({
          min: new Date("1970-01-01T00:00:00Z"),
          max: new Date("2999-12-31T23:59:59Z"),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
    if (typeof schema.pattern === "string") return fc.stringMatching(new RegExp(schema.pattern, "u"));
    const min = schema.minLength ?? 0;
    const max = Math.min(schema.maxLength ?? 64, min + 256);
    // JSON Schema counts code points, keel UTF-16 code units (the codec says so): a valid string
    // here fits both counts, so that the generator's idea of valid is the spec's and keel's.
    return fc
      .string({ unit: STORABLE_CHAR, minLength: min, maxLength: max })
      .filter((text) => text.length <= max && codePoints(text) >= min);
  }

  private validObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const model = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, this.valid(s, key)]));
    return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] }) as fc.Arbitrary<
      Record<string, unknown>
    >;
  }

  /** A value the schema refuses, and what is wrong with it. */
  invalid(raw: Schema, at: string): fc.Arbitrary<[unknown, string]> {
    const schema = this.resolve(raw);
    const options: fc.Arbitrary<[unknown, string]>[] = [
      wrongType(schema).map((value) => [value, `${at}: wrong type`]),
    ];
    if (Array.isArray(schema.enum) || "const" in schema)
      options.push(
        fc
          .constantFrom("not-one-of-them", "", "ASC", "0")
          .filter((v) => !(schema.enum ?? [schema.const]).includes(v))
          .map((v) => [v, `${at}: not in enum`]),
      );
    if (schema.type === "string") {
      if (typeof schema.maxLength === "number")
        options.push(
          fc
            .integer({ min: 1, max: 40 })
            .map((extra) => ["x".repeat(schema.maxLength + extra), `${at}: longer than maxLength`]),
          // Within maxLength in code points, beyond it in UTF-16 code units: keel refuses it, and says so.
          fc.constant([
            "😀".repeat(Math.ceil((schema.maxLength + 1) / 2)),
            `${at}: astral, over in code units`,
          ]),
        );
      if ((schema.minLength ?? 0) > 0)
        options.push(fc.constant(["x".repeat(schema.minLength - 1), `${at}: shorter than minLength`]));
      if (schema.format !== undefined || schema.pattern !== undefined)
        options.push(
          fc
            .constantFrom(
              "not-a-uuid",
              "2030-02-30T00:00:00Z",
              "2030-01-01T24:00:00Z",
              "+010000-01-01T00:00:00Z",
              "2030-01-01",
              "1.999",
              "-1",
              "1e3",
              "12345678901234567",
              "0x10",
            )
            .map((v) => [v, `${at}: bad format`]),
        );
      options.push(
        fc.constantFrom("a\u0000b", "\uD800", "x\uDFFFy").map((v) => [v, `${at}: not storable text`]),
        // In a query, a string past Node's 16 KiB limit on the request head would be Node's 431, not keel's.
        fc.constant([
          at.startsWith("query") ? "x".repeat(4000) : "x".repeat(20_000),
          `${at}: oversized string`,
        ]),
      );
    }
    if (schema.type === "integer" || schema.type === "number") {
      const over: [unknown, string][] = [];
      if (typeof schema.maximum === "number") over.push([schema.maximum + 1, `${at}: above maximum`]);
      if (typeof schema.minimum === "number") over.push([schema.minimum - 1, `${at}: below minimum`]);
      over.push([1e300, `${at}: huge`], [-1e300, `${at}: huge negative`]);
      if (schema.type === "integer") over.push([(schema.minimum ?? 0) + 0.5, `${at}: not an integer`]);
      options.push(fc.constantFrom(...over));
    }
    if (schema.type === "object") {
      const required = (schema.required ?? []) as string[];
      if (required.length > 0)
        options.push(
          fc
            .tuple(this.validObject(schema), fc.constantFrom(...required))
            .map(([value, key]) => [omit(value, key), `${at}.${key}: missing`]),
        );
      if (schema.additionalProperties === false)
        options.push(
          fc
            .tuple(
              this.validObject(schema),
              fc.constantFrom("unexpected", "__proto__", "constructor", "toString"),
            )
            .map(([value, key]) => [withOwn(value, key, 1), `${at}.${key}: not declared`]),
        );
      const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
      if (properties.length > 0)
        options.push(
          fc
            .constantFrom(...properties)
            .chain(([key, inner]) =>
              fc
                .tuple(this.validObject(schema), this.invalid(inner, `${at}.${key}`))
                .map(([value, [bad, what]]): [unknown, string] => [withOwn(value, key, bad), what]),
            ),
        );
    }
    if (schema.type === "array" && schema.items !== undefined)
      options.push(
        fc
          .tuple(fc.array(this.valid(schema.items), { maxLength: 2 }), this.invalid(schema.items, `${at}[]`))
          .map(([items, [bad, what]]) => [[...items, bad], what]),
      );
    return fc.oneof(...options);
  }

  query(params: readonly Parameter[]): fc.Arbitrary<string> {
    const model = Object.fromEntries(params.map((p) => [p.name, this.valid(p.schema, p.name)]));
    return fc
      .record(model, { requiredKeys: params.filter((p) => p.required).map((p) => p.name) })
      .map((values) => encodeQuery(Object.entries(values).map(([k, v]) => [k, String(v)])));
  }

  brokenQuery(params: readonly Parameter[]): fc.Arbitrary<[string, string]> {
    const options: fc.Arbitrary<[string, string]>[] = [
      fc
        .tuple(this.query(params), fc.constantFrom("unexpected", "page_szie", "__proto__", "constructor"))
        .map(([query, key]) => [join(query, `${key}=1`), `${key}: not declared`]),
      this.query(params).map((query) => [join(query, "%zz=%E0%A4%A"), "malformed percent-encoding"]),
    ];
    if (params.length > 0) {
      options.push(
        fc
          .constantFrom(...params)
          .chain((param) =>
            fc
              .tuple(
                this.query(params.filter((p) => p !== param)),
                fc.oneof(
                  this.invalid(param.schema, `query.${param.name}`),
                  fc.constant<[unknown, string]>(["", `${param.name}: empty`]),
                ),
              )
              .map(([query, [bad, what]]): [string, string] => [
                join(query, encodeQuery([[param.name, typeof bad === "string" ? bad : JSON.stringify(bad)]])),
                what,
              ]),
          ),
        fc.constantFrom(...params).chain((param) =>
          fc.tuple(this.valid(param.schema), this.valid(param.schema)).map(([a, b]): [string, string] => [
            encodeQuery([
              [param.name, String(a)],
              [param.name, String(b)],
            ]),
            `${param.name}: repeated`,
          ]),
        ),
      );
    }
    return fc.oneof(...options);
  }

  body(mediaType: string, schema: Schema): fc.Arbitrary<{ contentType: string; payload: Payload }> {
    return this.valid(schema).map((value) => ({
      contentType: mediaType,
      payload: { kind: "text", text: encodeBody(mediaType, value) },
    }));
  }

  brokenBody(
    mediaType: string,
    schema: Schema,
  ): fc.Arbitrary<[{ contentType?: string; payload: Payload }, string]> {
    const text = (contentType: string | undefined, body: string) => ({
      ...(contentType === undefined ? {} : { contentType }),
      payload: { kind: "text", text: body } as Payload,
    });
    const form = mediaType === "application/x-www-form-urlencoded";
    const options: fc.Arbitrary<[{ contentType?: string; payload: Payload }, string]>[] = [
      this.invalid(schema, form ? "form" : "body").map(([value, what]) => [
        text(mediaType, encodeBody(mediaType, value)),
        what,
      ]),
      fc
        .tuple(
          this.valid(schema),
          fc.constantFrom(
            "text/plain",
            "application/xml",
            form ? "application/json" : "application/x-www-form-urlencoded",
            `${mediaType}; charset=latin1`,
            "multipart/form-data; boundary=x",
          ),
        )
        .map(([value, contentType]) => [
          text(contentType, encodeBody(mediaType, value)),
          `content type ${contentType}`,
        ]),
      this.valid(schema).map((value) => [
        { payload: { kind: "text", text: encodeBody(mediaType, value) } },
        "no content type",
      ]),
      fc.constant([
        { contentType: mediaType, payload: { kind: "oversized", bytes: form ? 20_000 : 1_100_000 } },
        "oversized",
      ]),
      fc.constant([text(mediaType, ""), "empty"]),
    ];
    if (form)
      options.push(
        this.valid(schema).map((value) => {
          const fields = Object.entries(value as Record<string, unknown>);
          const first = fields[0] ?? ["grant_type", "password"];
          return [
            text(mediaType, encodeQuery([...fields, first].map(([k, v]) => [k, String(v)]))),
            `${first[0]}: repeated`,
          ];
        }),
      );
    else
      options.push(
        fc
          .constantFrom(
            '{"name":',
            "{'name': 1}",
            '{"a":1,}',
            "[1, 2",
            "nul",
            "{}}",
            '"unterminated',
            "\u00ff",
          )
          .map((body) => [text(mediaType, body), "malformed JSON"]),
        fc
          .constantFrom("[]", "[{}]", "42", '"text"', "null", "true")
          .map((body) => [text(mediaType, body), "not an object"]),
        fc
          .constantFrom(
            [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d],
            [0xff, 0xfe, 0x7b, 0x7d],
            [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d],
          )
          .map((bytes) => [{ contentType: mediaType, payload: { kind: "bytes", bytes } }, "not UTF-8"]),
      );
    return fc.oneof(...options);
  }

  /** A body sent to an operation that takes none. */
  unwantedBody(): fc.Arbitrary<[{ contentType?: string; payload: Payload }, string]> {
    return fc.constantFrom<[{ contentType?: string; payload: Payload }, string]>(
      [
        { contentType: "application/json", payload: { kind: "text", text: '{"unexpected":1}' } },
        "unwanted field",
      ],
      [{ contentType: "application/json", payload: { kind: "text", text: "{" } }, "unwanted malformed JSON"],
      [{ contentType: "text/plain", payload: { kind: "text", text: "hello" } }, "unwanted text"],
      [{ contentType: "application/json", payload: { kind: "text", text: "{}" } }, "empty object"],
    );
  }
}

/** An integer in [min, max], the bounds themselves often (fc.integer stops at 32 bits). */
function integerBetween(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(min, max) },
    { weight: 4, arbitrary: fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number) },
    { weight: 4, arbitrary: fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) }) },
  );
}

/** A JSON value of a type the schema does not take. */
function wrongType(schema: Schema): fc.Arbitrary<unknown> {
  const types = new Set<string>(
    schema.type === undefined
      ? ["string", "integer", "number", "boolean", "null", "array", "object"]
      : [schema.type],
  );
  if (types.has("number")) types.add("integer");
  const candidates: [string, unknown][] = [
    ["string", "text"],
    ["integer", 7],
    ["number", 2.5],
    ["boolean", true],
    ["null", null],
    ["array", []],
    ["object", { nested: 1 }],
  ];
  const wrong = candidates.filter(([type]) => !types.has(type)).map(([, value]) => value);
  // An untyped schema (const, enum, anyOf) takes some values of every type: a nested object is none.
  return wrong.length === 0 || schema.type === undefined
    ? fc.constant({ nested: [1] })
    : fc.constantFrom(...wrong);
}

function omit(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = value;
  return rest;
}

/** Sets an own property, `__proto__` included (an object literal would set the prototype instead). */
function withOwn(value: Record<string, unknown>, key: string, field: unknown): Record<string, unknown> {
  const copy = { ...value };
  Object.defineProperty(copy, key, { value: field, enumerable: true, writable: true, configurable: true });
  return copy;
}

function encodeQuery(entries: readonly (readonly [string, unknown])[]): string {
  return entries.map(([k, v]) => `${percentEncode(k)}=${percentEncode(String(v))}`).join("&");
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** encodeURIComponent, with a lone surrogate sent as the three bytes it would be (not UTF-8). */
function percentEncode(text: string): string {
  return text
    .split(LONE_SURROGATE)
    .map(encodeURIComponent)
    .reduce((encoded, part, n) => {
      if (n === 0) return part;
      const unit = (text.match(LONE_SURROGATE) ?? [])[n - 1]?.charCodeAt(0) ?? 0xd800;
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      return `${encoded}${bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join("")}${part}`;
    }, "");
}

function join(query: string, more: string): string {
  return query === "" ? more : `${query}&${more}`;
}

function encodeBody(mediaType: string, value: unknown): string {
  if (mediaType !== "application/x-www-form-urlencoded") return JSON.stringify(value);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return String(value);
  return encodeQuery(
    Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)] as const),
  );
}

/** What a draft needs at run time. */
export interface RunTime {
  /** The resources that exist for a path parameter of an operation, as seen by a principal. */
  existing(operation: Operation, parameter: string, principal: Principal): readonly string[];
  /** Entity tags answered so far. */
  seenTags(): readonly string[];
  /** The principal's own credentials, as headers. */
  credentials(principal: Principal): Record<string, string>;
}

export interface HttpRequest {
  readonly method: string;
  /** Path and query string, exactly as sent. */
  readonly target: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

/** The draft as the bytes to send. */
export function materialize(draft: Draft, run: RunTime): HttpRequest {
  const { operation } = draft;
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = draft.pathParams[name];
    if (value === undefined) return "";
    if ("text" in value) return value.text;
    const pool = run.existing(operation, name, draft.principal);
    return pool.length === 0
      ? "00000000-0000-4000-8000-000000000000"
      : (pool[value.existing % pool.length] ?? "");
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(draft.headers)) {
    if (typeof value === "string") headers[name] = value;
    else {
      const tags = run.seenTags();
      if (tags.length > 0) headers[name] = tags[value.seenTag % tags.length] ?? "*";
    }
  }
  Object.assign(headers, credentialHeaders(draft, run));
  let body: Buffer | undefined;
  if (draft.body !== undefined) {
    const { payload } = draft.body;
    body =
      payload.kind === "text"
        ? Buffer.from(payload.text, "utf8")
        : payload.kind === "bytes"
          ? Buffer.from(payload.bytes)
          : Buffer.alloc(payload.bytes, "a");
    if (draft.body.contentType !== undefined) headers["content-type"] = draft.body.contentType;
  }
  return {
    method: operation.method,
    target: draft.query === "" ? path : `${path}?${draft.query}`,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

function credentialHeaders(draft: Draft, run: RunTime): Record<string, string> {
  switch (draft.credentials) {
    case "own":
      return run.credentials(draft.principal);
    case "forged-token":
      return { authorization: "Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl" };
    case "unknown-key":
      return { "x-api-key": "keel_abcdefgh_0123456789abcdef0123456789abcdef" };
    case "not-bearer":
      return { authorization: "Basic dXNlcjpwYXNz" };
    case "token-and-key":
      return { authorization: "Bearer abc", "x-api-key": "keel_abcdefgh_secret" };
  }
}

/** A draft, for a failure report: enough to send it again by hand. */
export function describeRequest(request: HttpRequest, draft: Draft): string {
  const body =
    request.body === undefined
      ? ""
      : request.body.length > 400
        ? ` body (${request.body.length} bytes) ${JSON.stringify(request.body.subarray(0, 200).toString("utf8"))}…`
        : ` body ${JSON.stringify(request.body.toString("utf8"))}`;
  const shown = Object.entries(request.headers)
    .map(([k, v]) => `${k}: ${/authorization|api-key/i.test(k) ? `${v.slice(0, 14)}…` : v}`)
    .join("; ");
  const target = request.target.length > 600 ? `${request.target.slice(0, 600)}…` : request.target;
  return `${request.method} ${target} as ${draft.principal} [${draft.broken}] headers {${shown}}${body}`;
}
