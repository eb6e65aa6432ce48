import * as assert from "uvu/assert";
import { SpecCheck } from "../support/spec-check.js";
import { test } from "../support/uvu.js";

/** The fuzz's judge: an answer passes only as the document describes it. */
const DOCUMENT = {
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: {
    "/things/{id}": {
      get: {
        responses: {
          "200": {
            description: "found",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: { code: { const: "OK" }, data: { $ref: "#/components/schemas/Thing" } },
                  required: ["code", "data"],
                  additionalProperties: false,
                },
              },
            },
          },
          "304": { description: "not modified" },
          "404": {
            description: "none",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
          "503": {
            description: "down",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: "object",
        properties: { id: { type: "string", format: "uuid" }, at: { type: "string", format: "date-time" } },
        required: ["id"],
        additionalProperties: false,
      },
      Error: { type: "object", properties: { code: { type: "string" } }, required: ["code"] },
    },
  },
};

const check = new SpecCheck(DOCUMENT, "test");
const json = (status: number, body: unknown) => ({
  status,
  contentType: "application/json; charset=utf-8",
  text: JSON.stringify(body),
});
const ID = "8d6f3c52-4a61-4c0e-9a55-3f1e0c7b2a10";

test("given answers as the document describes them, then there is nothing to report", () => {
  assert.equal(
    check.check(
      "GET",
      "/things/{id}",
      json(200, { code: "OK", data: { id: ID, at: "2030-01-31T12:00:00Z" } }),
    ),
    [],
  );
  assert.equal(check.check("GET", "/things/{id}", json(404, { code: "NOT_FOUND" })), []);
  assert.equal(check.check("GET", "/things/{id}", { status: 304, contentType: "", text: "" }), []);
});

test("given an undeclared status, a body off its schema or of another type, then each is named", () => {
  assert.match(
    check.check("GET", "/things/{id}", json(409, { code: "X" })).join(),
    "status 409 is not declared",
  );
  const leaked = check.check("GET", "/things/{id}", json(200, { code: "OK", data: { id: ID, secret: "x" } }));
  assert.match(leaked.join(), "must NOT have additional properties");
  assert.match(
    check.check("GET", "/things/{id}", json(200, { code: "OK", data: { id: "1" } })).join(),
    'must match format "uuid"',
  );
  assert.match(
    check.check("GET", "/things/{id}", { status: 404, contentType: "text/html", text: "<h1>no</h1>" }).join(),
    'content type "text/html"',
  );
  assert.match(
    check.check("GET", "/things/{id}", { status: 304, contentType: "", text: "x" }).join(),
    "declares no body",
  );
});

test("given a 5xx, even a declared one, or a stack trace in a body, then it is a problem", () => {
  assert.match(check.check("GET", "/things/{id}", json(503, { code: "DOWN" })).join(), "a server error");
  const trace = json(404, { code: "NOT_FOUND", message: "Error: x\n    at load (/app/src/thing.ts:12:7)" });
  assert.match(check.check("GET", "/things/{id}", trace).join(), "stack trace");
});

test.run();
