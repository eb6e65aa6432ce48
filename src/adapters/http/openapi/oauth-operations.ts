import type { JsonSchema } from "./json-schema.js";

/**
 * The OAuth2 endpoints (RFC 6749, RFC 7009) are not routes of the table: their bodies are forms and
 * their answers OAuth2's own format, fixed by the RFCs rather than by a codec. Described here, in one
 * place, and held to the code by the same contract tests as every route.
 */
const OAUTH_ERROR: JsonSchema = {
  type: "object",
  properties: {
    error: {
      type: "string",
      enum: [
        "invalid_request",
        "invalid_grant",
        "invalid_scope",
        "unsupported_grant_type",
        "too_many_requests",
        "temporarily_unavailable",
      ],
    },
    error_description: { type: "string" },
  },
  required: ["error"],
};

const TOKEN_FORM: JsonSchema = {
  type: "object",
  properties: {
    grant_type: { type: "string", enum: ["password", "refresh_token"] },
    username: { type: "string", description: "grant_type=password: the account's e-mail address" },
    password: { type: "string", format: "password", description: "grant_type=password" },
    refresh_token: { type: "string", description: "grant_type=refresh_token" },
    scope: { type: "string", description: "space-separated permissions to narrow the token to" },
  },
  required: ["grant_type"],
};

const TOKEN: JsonSchema = {
  type: "object",
  properties: {
    access_token: { type: "string" },
    token_type: { const: "bearer" },
    expires_in: { type: "integer", minimum: 0 },
    refresh_token: { type: "string" },
    scope: { type: "string" },
  },
  required: ["access_token", "token_type", "expires_in", "refresh_token", "scope"],
  additionalProperties: false,
};

function oauthAnswer(description: string) {
  return { description, content: { "application/json": { schema: OAUTH_ERROR } } };
}

const ERRORS = {
  "400": oauthAnswer("Malformed request, unknown grant, invalid credentials or refresh token (RFC 6749 5.2)"),
  "401": oauthAnswer("Client authentication failed"),
  "413": oauthAnswer("The body is too large"),
  "429": oauthAnswer("Too many sign-in attempts for this account or address; see Retry-After"),
  "503": oauthAnswer("A dependency is unavailable; see Retry-After"),
};

export function oauthOperations(version: string, deprecated: boolean): Record<string, unknown> {
  const form = (schema: JsonSchema) => ({
    required: true,
    content: { "application/x-www-form-urlencoded": { schema } },
  });
  return {
    [`/api/${version}/auth/token`]: {
      post: {
        operationId: "issueToken",
        summary: "Sign in with a password, or exchange a refresh token (OAuth2 token endpoint)",
        tags: ["auth"],
        ...(deprecated ? { deprecated: true } : {}),
        security: [],
        requestBody: form(TOKEN_FORM),
        responses: {
          "200": { description: "Tokens issued", content: { "application/json": { schema: TOKEN } } },
          ...ERRORS,
        },
      },
    },
    [`/api/${version}/auth/revoke`]: {
      post: {
        operationId: "revokeToken",
        summary: "Revoke a refresh token (OAuth2 revocation, RFC 7009); 200 whether or not it was known",
        tags: ["auth"],
        ...(deprecated ? { deprecated: true } : {}),
        security: [],
        requestBody: form({
          type: "object",
          properties: { token: { type: "string" }, token_type_hint: { type: "string" } },
          required: ["token"],
        }),
        responses: {
          "200": {
            description: "Revoked (or never known)",
            content: { "application/json": { schema: { type: "object", additionalProperties: false } } },
          },
          ...ERRORS,
        },
      },
    },
  };
}
