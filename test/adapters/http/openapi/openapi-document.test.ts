import * as t from "io-ts";
import * as assert from "uvu/assert";
import { object } from "../../../../src/adapters/http/codecs.js";
import { UndescribableCodec } from "../../../../src/adapters/http/openapi/json-schema.js";
import { route } from "../../../../src/adapters/http/route.js";
import { GetProduct } from "../../../../src/application/product/get-product.js";
import { Tokens } from "../../../../src/bootstrap/tokens.js";
import { MAX_STOCK } from "../../../../src/domain/product/quantity.js";
import { cleanEnv, spawnTs } from "../../../support/child-process.js";
import { rejects } from "../../../support/rejects.js";
import { call, startTestServer, type TestServer } from "../../../support/test-server.js";
import { suite, test } from "../../../support/uvu.js";

// biome-ignore lint/suspicious/noExplicitAny: documents are read field by field
type Doc = any;

const served = suite<{ server: TestServer; v1: Doc; v2: Doc }>("OpenAPI documents, served");
served.before(async (context) => {
  context.server = await startTestServer({ env: { API__V1__DEPRECATED: "true" } });
  context.v1 = (await call(`${context.server.url}/openapi/v1.json`)).body;
  context.v2 = (await call(`${context.server.url}/openapi/v2.json`)).body;
});
served.after(async ({ server }) => {
  await server.stop();
});

served(
  "given each version, then its document is OpenAPI 3.1 with that version's paths only",
  ({ v1, v2 }) => {
    assert.is(v1.openapi, "3.1.0");
    assert.ok(Object.keys(v1.paths).every((path: string) => path.startsWith("/api/v1/")));
    assert.ok(Object.keys(v2.paths).every((path: string) => path.startsWith("/api/v2/")));
    assert.ok(v1.paths["/api/v1/products/{id}"].get, "a path parameter in OpenAPI's spelling");
    assert.ok(v1.paths["/api/v1/auth/token"].post, "the token endpoint");
  },
);

served("given who may call, then security comes from the handler's requirement", ({ v1 }) => {
  assert.equal(v1.paths["/api/v1/products/{id}"].get.security, [], "product reads are public");
  assert.equal(v1.paths["/api/v1/products"].post.security, [
    { oauth2: ["product:write"] },
    { bearer: [] },
    { apiKey: [] },
  ]);
  const password = v1.paths["/api/v1/users/{id}/password"].put.security;
  assert.not.ok(
    password.some((s: object) => "apiKey" in s),
    "a password change is the user themself, never a key",
  );
  const flows = v1.components.securitySchemes.oauth2.flows.password;
  assert.is(flows.tokenUrl, "/api/v1/auth/token");
  assert.is(flows.refreshUrl, "/api/v1/auth/token");
  assert.ok("user:manage" in flows.scopes);
});

served(
  "given a write, then its body, success envelope and errors are described from its codecs",
  ({ v1 }) => {
    const create = v1.paths["/api/v1/products"].post;
    assert.is(create.operationId, "createProduct");
    const body = create.requestBody.content["application/json"].schema;
    assert.is(body.additionalProperties, false);
    assert.equal(body.properties.stock, { type: "integer", minimum: 0, maximum: MAX_STOCK });
    assert.ok(create.responses["201"].headers.Location);
    assert.equal(create.responses["201"].content["application/json"].schema.properties.data, {
      $ref: "#/components/schemas/Written",
    });
    for (const status of ["400", "401", "403", "409", "415", "422", "429", "503"])
      assert.equal(
        create.responses[status]?.content["application/json"].schema,
        { $ref: "#/components/schemas/Error" },
        status,
      );
    assert.ok(v1.components.schemas.Error.required.includes("code"));
  },
);

served(
  "given routes whose refusals name client fields, or that take POST, PUT or PATCH without a body, then their errors say so",
  ({ v1, v2 }) => {
    const statuses = (doc: Doc, path: string, method: string) =>
      Object.keys(doc.paths[path][method].responses);
    // A listing refuses a minimum price above its maximum as a business rule (InvalidValue, 422).
    assert.ok(statuses(v1, "/api/v1/products", "get").includes("422"), "listing products");
    assert.not.ok(statuses(v1, "/api/v1/products/{id}", "get").includes("422"), "a read with no fields");
    // A body sent to a POST that takes none is still read: too large, or not JSON, first.
    const deactivation = statuses(v2, "/api/v2/users/{id}/deactivation", "post");
    assert.ok(deactivation.includes("413") && deactivation.includes("415"), "deactivation");
    for (const [path, method] of [
      ["/api/v2/users/{id}/api-keys/{keyId}", "delete"],
      ["/api/v2/users/{id}", "get"],
    ] as const)
      assert.not.ok(
        statuses(v2, path, method).some((s) => s === "413" || s === "415"),
        `${method} ${path}`,
      );
  },
);

served(
  "given the OAuth2 endpoints, then a body over their limit is a declared 413 in OAuth2's format",
  ({ v1 }) => {
    for (const endpoint of ["token", "revoke"]) {
      const tooLarge = v1.paths[`/api/v1/auth/${endpoint}`].post.responses["413"];
      assert.ok(tooLarge, endpoint);
      assert.equal(tooLarge.content["application/json"].schema.required, ["error"]);
    }
  },
);

served("given v1 configured deprecated, then every v1 operation says so and no v2 one does", ({ v1, v2 }) => {
  const operations = (doc: Doc) => Object.values(doc.paths).flatMap((item) => Object.values(item as object));
  assert.ok(operations(v1).every((op: Doc) => op.deprecated === true));
  assert.ok(operations(v2).every((op: Doc) => op.deprecated === undefined));
});

served(
  "given the CLI, then `keel openapi --version v2` prints the document the server serves",
  async ({ v2 }) => {
    const printed = spawnTs(
      "src/bootstrap/cli.ts",
      ["openapi", "--version", "v2"],
      cleanEnv({ APP_ENV: "test" }),
    );
    assert.is(await printed.exited(), 0, printed.stderr());
    assert.equal(JSON.parse(printed.stdout()), v2);
  },
);

served.run();

test("given DOCS__ENABLED=false, then the documents are not served", async () => {
  const server = await startTestServer({ env: { DOCS__ENABLED: "false" } });
  try {
    assert.is((await call(`${server.url}/openapi/v1.json`)).status, 404);
  } finally {
    await server.stop();
  }
});

test("given a route whose codec cannot be described, then start-up fails naming the route", async () => {
  const opaque = new t.Type<string, string, unknown>("Opaque", t.string.is, t.string.validate, t.identity);
  const error = await rejects(
    () =>
      startTestServer({
        overrides: (container) => {
          container.bind(Tokens.ApiRoutes).toConstantValue({
            version: "v1",
            routes: [
              route({
                method: "POST",
                path: "/widgets",
                summary: "a widget",
                tags: ["widgets"],
                dispatches: GetProduct,
                body: object({ shade: opaque }),
                response: t.string,
                message: "widget",
                handle: async () => "never",
              }),
            ],
          });
        },
      }),
    UndescribableCodec,
  );
  assert.match(error.message, 'POST /api/v1/widgets (body): cannot describe codec "Opaque"');
});

test.run();
