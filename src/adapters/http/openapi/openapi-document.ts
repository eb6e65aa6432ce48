import type { Message } from "../../../application/shared/message.js";
import { Command } from "../../../application/shared/message.js";
import type { MessageClass } from "../../../application/shared/message-bus.js";
import type { Requirement } from "../../../application/shared/requirement.js";
import type { ApiVersion, RouteDefinition } from "../route.js";
import { type AnyCodec, type JsonSchema, toJsonSchema, UndescribableCodec } from "./json-schema.js";
import { oauthOperations } from "./oauth-operations.js";

export interface DocumentOptions {
  /** keel's version, the document's info.version. */
  readonly serviceVersion: string;
  /** Marks every operation deprecated (API__V1__DEPRECATED). */
  readonly deprecated: boolean;
  /** What the handler of a message requires, from the registered handlers. */
  readonly requirementOf: (message: MessageClass<Message<unknown>>) => Requirement<never> | undefined;
  /** Every permission, as OAuth2 scopes. */
  readonly permissions: readonly string[];
}

/** A route or codec the document cannot be built from: start-up stops and says which. */
export class UndocumentableRoute extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UndocumentableRoute";
  }
}

const FIELD_ERROR: JsonSchema = {
  type: "object",
  properties: { path: { type: "string" }, message: { type: "string" } },
  required: ["path", "message"],
  additionalProperties: false,
};

/** The error envelope every failure answers with (see envelope.ts and error-mapper.ts). */
const ERROR_ENVELOPE: JsonSchema = {
  type: "object",
  properties: {
    code: { type: "string", description: "stable, machine-readable, e.g. VALIDATION_FAILED" },
    message: { type: "string" },
    errors: { type: "array", items: { $ref: "#/components/schemas/FieldError" } },
    requestId: { type: "string" },
  },
  required: ["code", "message"],
  additionalProperties: false,
};

const ERROR_REF = { $ref: "#/components/schemas/Error" };

const ERROR_DESCRIPTIONS: Readonly<Record<string, string>> = {
  "400": "The request is malformed: bad JSON, a value or parameter that does not fit, an unknown field",
  "401": "Credentials were sent and are not valid (or the route needs some and none were sent)",
  "403": "The caller may not do this",
  "404": "No such resource",
  "409": "The change conflicts with the resource's current state",
  "412": "If-Match names a version the resource is no longer at",
  "413": "The body is too large",
  "415": "The body is not JSON",
  "422": "A business rule refused the change",
  "429": "Rate limited; see Retry-After",
  "503": "A dependency is unavailable; see Retry-After",
};

/**
 * The OpenAPI 3.1 document of one API version, derived from its route table: paths, parameters and
 * bodies from the codecs that validate them, the success envelope with the codec that encodes the
 * answer, the errors a route can produce, and who may call it from its handler's requirement.
 * Throws UndescribableCodec (naming the route) rather than describing anything as `{}`.
 */
export function openApiDocument(version: ApiVersion, options: DocumentOptions): Record<string, unknown> {
  const components = new SharedSchemas();
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const definition of version.routes) {
    const where = `${definition.method} /api/${version.name}${definition.path}`;
    const path = `/api/${version.name}${definition.path.replace(/:(\w+)/g, "{$1}")}`;
    const operation = describeOperation(definition, where, components, options);
    operation.operationId = uniqueOperationId(definition, operationIds);
    paths[path] = { ...paths[path], [definition.method.toLowerCase()]: operation };
  }
  Object.assign(paths, oauthOperations(version.name, options.deprecated));
  return {
    openapi: "3.1.0",
    info: {
      title: `keel API ${version.name}`,
      version: options.serviceVersion,
      description:
        "Every answer is an envelope: `{ code, message, data }` on success, `{ code, message, errors?, requestId }` on failure.",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(version.routes.flatMap((r) => r.tags)), "auth"].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: ERROR_ENVELOPE, FieldError: FIELD_ERROR, ...components.all() },
      securitySchemes: securitySchemes(version.name, options.permissions),
    },
  };
}

function securitySchemes(version: string, permissions: readonly string[]): Record<string, unknown> {
  const scopes = Object.fromEntries(permissions.map((p) => [p, `the ${p} permission`]));
  const tokenUrl = `/api/${version}/auth/token`;
  return {
    oauth2: {
      type: "oauth2",
      description:
        "Sign in with an account's e-mail and password; scopes narrow the token to some permissions.",
      flows: { password: { tokenUrl, refreshUrl: tokenUrl, scopes } },
    },
    bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
    apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
  };
}

function describeOperation(
  definition: RouteDefinition,
  where: string,
  components: SharedSchemas,
  options: DocumentOptions,
): Record<string, unknown> {
  const schema = (codec: AnyCodec, part: string) =>
    toJsonSchema(codec, `${where} (${part})`, (c, build) => components.refer(c, build));
  const requirement = options.requirementOf(definition.dispatches);
  if (requirement === undefined)
    throw new UndocumentableRoute(`${where}: no handler is registered for ${definition.dispatches.name}`);
  const parameters = [
    ...parametersOf(definition.params && schema(definition.params, "params"), "path"),
    ...parametersOf(definition.query && schema(definition.query, "query"), "query"),
    ...(definition.ifMatchOn ? [header("If-Match", "Apply only if the resource is still at this ETag")] : []),
    ...(definition.etag && definition.method === "GET"
      ? [header("If-None-Match", "Answer 304 if the resource is still at this ETag")]
      : []),
    ...(definition.idempotent
      ? [
          header(
            "Idempotency-Key",
            "Retry safely: a repeat with the same key and request gets the first answer again (Idempotent-Replayed: true) without a second effect; the same key with another request is a 422",
          ),
        ]
      : []),
  ];
  const success = definition.status ?? 200;
  const responses: Record<string, unknown> = {
    [String(success)]: {
      description: definition.message,
      ...(definition.location || definition.etag
        ? {
            headers: {
              ...(definition.location ? { Location: { schema: { type: "string" } } } : {}),
              ...(definition.etag ? { ETag: { schema: { type: "string" } } } : {}),
            },
          }
        : {}),
      content: {
        "application/json": {
          schema: {
            type: "object",
            properties: {
              code: { const: "OK" },
              message: { type: "string" },
              data: schema(definition.response, "response"),
            },
            required: ["code", "message", "data"],
            additionalProperties: false,
          },
        },
      },
    },
    ...(definition.etag && definition.method === "GET" ? { "304": { description: "Not modified" } } : {}),
  };
  for (const status of errorStatuses(definition, requirement))
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { "application/json": { schema: ERROR_REF } },
    };
  return {
    summary: definition.summary,
    tags: [...definition.tags],
    ...(options.deprecated ? { deprecated: true } : {}),
    security: securityOf(requirement),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(definition.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schema(definition.body, "body") } },
          },
        }
      : {}),
    responses,
  };
}

/** The methods whose bodies keel reads (json-body.ts), whether or not the route takes one. */
const BODY_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);

/** What may answer instead of success: what every route can meet, and what this one's shape adds. */
function errorStatuses(definition: RouteDefinition, requirement: Requirement<never>): string[] {
  const command = definition.dispatches.prototype instanceof Command;
  const statuses = ["400", "401", "429", "503"];
  if (requirement.kind !== "public" && requirement.kind !== "authenticated") statuses.push("403");
  if (definition.params || requirement.kind !== "public") statuses.push("404");
  if (command) statuses.push("409");
  // A business refusal: a command's, or a query's that names the values it refuses (`fields`), such
  // as a listing whose minimum price is above its maximum.
  if (command || definition.fields) statuses.push("422");
  if (definition.ifMatchOn) statuses.push("412");
  // A body sent where none is taken is still read first: too large, or not JSON, before it is refused.
  if (definition.body || BODY_METHODS.has(definition.method)) statuses.push("413", "415");
  return statuses.sort();
}

/**
 * Who may call, as OpenAPI security requirements (any one of them will do): anyone for a public
 * route; otherwise a signed-in user's token (with the permission as its scope) or an API key
 * (not where the handler wants the user themself).
 */
function securityOf(requirement: Requirement<never>): unknown[] {
  if (requirement.kind === "public") return [];
  const scopes = "permission" in requirement ? [requirement.permission] : [];
  const userOnly = requirement.kind === "user" || requirement.kind === "self";
  return [{ oauth2: scopes }, { bearer: [] }, ...(userOnly ? [] : [{ apiKey: [] }])];
}

function parametersOf(schema: JsonSchema | undefined, location: "path" | "query"): unknown[] {
  if (schema === undefined) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || required.has(name),
    schema: property,
  }));
}

function header(name: string, description: string): unknown {
  return { name, in: "header", required: false, description, schema: { type: "string" } };
}

/**
 * The dispatched message's name (`adjustStock`); a second route dispatching it adds what tells it
 * apart: its path parameters (`getUserById`), or else its last path segment (`getUserMe`).
 */
function uniqueOperationId(definition: RouteDefinition, taken: Set<string>): string {
  const name = definition.dispatches.name;
  let id = name.charAt(0).toLowerCase() + name.slice(1);
  if (taken.has(id)) {
    const segments = definition.path.split("/").filter((segment) => segment !== "");
    const params = segments.filter((segment) => segment.startsWith(":")).map((segment) => segment.slice(1));
    id +=
      params.length > 0
        ? `By${params.map(capitalised).join("And")}`
        : capitalised((segments.at(-1) ?? "").replace(/-(\w)/g, (_, c: string) => c.toUpperCase()));
  }
  if (taken.has(id)) throw new UndocumentableRoute(`two routes would both be operation ${id}`);
  taken.add(id);
  return id;
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * Codecs with a deliberate name (`ProductV1`, `Money`) become components, referred to by `$ref`;
 * io-ts's generated names (`{ id: string }`) are inlined. A name taken by a different schema gets a
 * number, so two codecs never silently share one. (Named codecs do not refer to themselves, so
 * building one before naming it cannot loop.)
 */
class SharedSchemas {
  private readonly byCodec = new Map<AnyCodec, string>();
  private readonly schemas = new Map<string, JsonSchema>();

  refer(codec: AnyCodec, build: () => JsonSchema): JsonSchema | undefined {
    const name = (codec as { name?: string }).name;
    if (name === undefined || !/^[A-Z][A-Za-z0-9]*$/.test(name)) return undefined;
    let known = this.byCodec.get(codec);
    if (known === undefined) {
      const schema = build();
      // A codec described as another (MoneyInput as its fields) is that one's component.
      if (Object.keys(schema).length === 1 && typeof schema.$ref === "string") return schema;
      const text = JSON.stringify(schema);
      known = name;
      // Another codec of the same name and shape (each version builds its own `Money`) is the same schema.
      for (let n = 2; this.schemas.has(known) && JSON.stringify(this.schemas.get(known)) !== text; n++)
        known = `${name}${n}`;
      this.byCodec.set(codec, known);
      this.schemas.set(known, schema);
    }
    return { $ref: `#/components/schemas/${known}` };
  }

  all(): Record<string, JsonSchema> {
    return Object.fromEntries(this.schemas);
  }
}

export { UndescribableCodec };
