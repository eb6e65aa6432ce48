import * as t from "io-ts";
import * as assert from "uvu/assert";
import {
  hundredthsFromString,
  integer,
  integerFromString,
  isoDateTime,
  object,
  oneOf,
  optional,
  strictObject,
  strictQuery,
  text,
  uuid,
} from "../../../../src/adapters/http/codecs.js";
import { toJsonSchema, UndescribableCodec } from "../../../../src/adapters/http/openapi/json-schema.js";
import { test } from "../../../support/uvu.js";

const schema = (codec: Parameters<typeof toJsonSchema>[0]) => toJsonSchema(codec, "a test");

test("given keel's scalar codecs, then each schema carries the bounds its codec checks", () => {
  assert.equal(schema(integer(1, 100)), { type: "integer", minimum: 1, maximum: 100 });
  assert.equal(schema(integerFromString(0, 9)), { type: "integer", minimum: 0, maximum: 9 });
  const name = schema(text(1, 200));
  assert.equal([name.type, name.minLength, name.maxLength], ["string", 1, 200]);
  assert.equal(schema(oneOf(["asc", "desc"])), { type: "string", enum: ["asc", "desc"] });
  assert.equal([schema(uuid).type, schema(uuid).format], ["string", "uuid"]);
  assert.equal(schema(isoDateTime), { type: "string", format: "date-time" });
  const decimal = schema(hundredthsFromString(1000));
  assert.ok(
    new RegExp(String(decimal.pattern)).test("19.99") && !new RegExp(String(decimal.pattern)).test("1.999"),
  );
});

test("given objects, then strict inputs and exact outputs are closed, and optional fields are not required", () => {
  assert.equal(schema(strictObject({ name: text(1, 5), note: optional(text(0, 5)) })), {
    type: "object",
    properties: { name: schema(text(1, 5)), note: schema(text(0, 5)) },
    required: ["name"],
    additionalProperties: false,
  });
  assert.equal(schema(strictQuery({ page: optional(integerFromString(1, 9)) })), {
    type: "object",
    properties: { page: { type: "integer", minimum: 1, maximum: 9 } },
    additionalProperties: false,
  });
  assert.equal(schema(object({ id: t.string, tags: t.array(t.string) })), {
    type: "object",
    properties: { id: { type: "string" }, tags: { type: "array", items: { type: "string" } } },
    required: ["id", "tags"],
    additionalProperties: false,
  });
});

test("given io-ts combinators, then keyof and literal unions are enums, and an intersection of objects is one object", () => {
  assert.equal(schema(t.keyof({ active: null, deactivated: null })), {
    type: "string",
    enum: ["active", "deactivated"],
  });
  assert.equal(schema(t.union([t.literal("a"), t.literal("b")])), { enum: ["a", "b"] });
  assert.equal(schema(t.union([t.string, t.null])), { anyOf: [{ type: "string" }, { type: "null" }] });
  assert.equal(schema(t.intersection([object({ id: t.string }), object({ key: t.string })])), {
    type: "object",
    properties: { id: { type: "string" }, key: { type: "string" } },
    required: ["id", "key"],
    additionalProperties: false,
  });
  assert.equal(schema(t.record(t.string, t.number)), {
    type: "object",
    additionalProperties: { type: "number" },
  });
});

test("given a codec keel cannot look into, then converting it fails naming where it is used, never as {}", () => {
  const opaque = new t.Type<string, string, unknown>("Opaque", t.string.is, t.string.validate, t.identity);
  assert.throws(
    () => toJsonSchema(object({ inner: opaque }), "POST /api/v1/widgets (body)"),
    (error: unknown) =>
      error instanceof UndescribableCodec &&
      error.message.startsWith('POST /api/v1/widgets (body): cannot describe codec "Opaque"'),
  );
  assert.throws(
    () => toJsonSchema(t.unknown, "GET /x (response)"),
    (error: unknown) => error instanceof UndescribableCodec,
  );
});

test.run();
