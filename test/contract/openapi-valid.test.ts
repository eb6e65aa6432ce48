import { compileErrors, validate } from "@readme/openapi-parser";
import * as assert from "uvu/assert";
import { type OpenApiDocument, SpecCheck } from "../support/spec-check.js";
import { call, startTestServer, type TestServer } from "../support/test-server.js";
import { suite } from "../support/uvu.js";

/**
 * The documents keel serves are valid OpenAPI 3.1 (structure, and every $ref resolves), and each of
 * their schemas is valid JSON Schema 2020-12 under ajv's strict mode: what client generators and the
 * spec-driven fuzz (openapi-fuzz.test.ts) build on.
 */
const documents = suite<{ server: TestServer; served: [string, OpenApiDocument][] }>(
  "OpenAPI documents, validated",
);

documents.before(async (context) => {
  context.server = await startTestServer({ env: { LOG__LEVEL: "fatal" } });
  context.served = [];
  for (const version of ["v1", "v2"]) {
    const res = await call(`${context.server.url}/openapi/${version}.json`);
    if (res.status !== 200) throw new Error(`GET /openapi/${version}.json answered ${res.status}`);
    context.served.push([version, res.body]);
  }
});
documents.after(async ({ server }) => {
  await server.stop();
});

documents(
  "given each served document, then @readme/openapi-parser finds its structure and its $refs valid, without warnings",
  async ({ served }) => {
    for (const [version, document] of served) {
      // The parser resolves $refs in place: it gets a copy.
      const result = await validate(structuredClone(document));
      assert.ok(result.valid, `${version}: ${result.valid ? "" : compileErrors(result)}`);
      assert.equal(result.warnings, [], version);
    }
  },
);

documents(
  "given every schema of each document, then ajv compiles it as JSON Schema 2020-12 in strict mode",
  ({ served }) => {
    for (const [version, document] of served) {
      const check = new SpecCheck(document, version);
      let compiled = 0;
      for (const [where, schema] of schemasOf(document)) {
        try {
          check.validator(`${version} ${where}`, schema);
          compiled++;
        } catch (error) {
          assert.unreachable(`${version} ${where}: ${(error as Error).message}`);
        }
      }
      assert.ok(compiled > 100, `${version}: only ${compiled} schemas found`);
    }
  },
);

documents("given a document broken on purpose, then the validator refuses it", async ({ served }) => {
  const [, document] = served[0] as [string, OpenApiDocument];
  const dangling = structuredClone(document);
  dangling.paths["/api/v1/products"].post.responses["201"].content[
    "application/json"
  ].schema.properties.data = {
    $ref: "#/components/schemas/NoSuchSchema",
  };
  assert.not.ok((await validate(dangling)).valid, "a $ref to nothing");
  const unnamed = structuredClone(document);
  unnamed.paths["/api/v1/products/{id}"].get.parameters[0].in = "body";
  assert.not.ok((await validate(unnamed)).valid, "a parameter in no place OpenAPI 3.1 knows");
});

/** Every schema in the document: components, parameters, request bodies and responses, with where. */
function schemasOf(document: OpenApiDocument): [string, unknown][] {
  const found: [string, unknown][] = Object.entries(document.components?.schemas ?? {}).map(
    ([name, schema]) => [`#/components/schemas/${name}`, schema],
  );
  for (const [path, item] of Object.entries(document.paths as Record<string, OpenApiDocument>)) {
    for (const [method, operation] of Object.entries(item as Record<string, OpenApiDocument>)) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? [])
        found.push([`${where} ${parameter.in} ${parameter.name}`, parameter.schema]);
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {}))
        found.push([`${where} body ${type}`, (media as OpenApiDocument).schema]);
      for (const [status, response] of Object.entries(operation.responses as Record<string, OpenApiDocument>))
        for (const [type, media] of Object.entries(response.content ?? {}))
          found.push([`${where} ${status} ${type}`, (media as OpenApiDocument).schema]);
    }
  }
  return found;
}

documents.run();
