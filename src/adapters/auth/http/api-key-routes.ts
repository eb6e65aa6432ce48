import * as t from "io-ts";
import type { ApiKeyView } from "../../../application/auth/api-key-view.js";
import { CreateApiKey } from "../../../application/auth/create-api-key.js";
import { ListApiKeys } from "../../../application/auth/list-api-keys.js";
import { RevokeApiKey } from "../../../application/auth/revoke-api-key.js";
import { isoDateTime, object, optional } from "../../http/codecs.js";
import { type RouteDefinition, route } from "../../http/route.js";
import { API_KEY_BODY_FIELDS, ApiKeyBody, ApiKeyParams, UserParams } from "../../user/http/user-inputs.js";

const tags = ["api keys"];

const ApiKey = object(
  {
    id: t.string,
    name: t.string,
    prefix: t.string,
    permissions: t.array(t.string),
    created_at: isoDateTime,
    expires_at: optional(isoDateTime),
    last_used_at: optional(isoDateTime),
    revoked_at: optional(isoDateTime),
  },
  "ApiKey",
);

/** Shown once, at creation: the whole key, which is never stored or shown again. */
const CreatedApiKey = t.intersection([ApiKey, object({ key: t.string })], "CreatedApiKey");

function present(view: ApiKeyView): t.TypeOf<typeof ApiKey> {
  return {
    id: view.id,
    name: view.name,
    prefix: view.prefix,
    permissions: [...view.permissions],
    created_at: view.createdAt,
    expires_at: view.expiresAt,
    last_used_at: view.lastUsedAt,
    revoked_at: view.revokedAt,
  };
}

/** The same in every version: keys are sent as `X-API-Key: keel_<prefix>_<secret>`. */
export const apiKeyRoutes: RouteDefinition[] = [
  route({
    method: "POST",
    path: "/users/:id/api-keys",
    summary: "Create an API key for oneself with some of one's permissions; the key is shown only here",
    tags,
    dispatches: CreateApiKey,
    params: UserParams,
    body: ApiKeyBody,
    fields: API_KEY_BODY_FIELDS,
    response: CreatedApiKey,
    status: 201,
    // No route reads a single key: this is the path that revokes it, and the list is one level up.
    location: (created, params) => `/users/${params.id}/api-keys/${created.id}`,
    message: "api key created",
    handle: async ({ params, body }, { commands, context }) => {
      const created = await commands.dispatch(
        new CreateApiKey(context, {
          userId: params.id,
          name: body.name,
          permissions: body.permissions,
          ...(body.expires_at === undefined ? {} : { expiresAt: new Date(body.expires_at) }),
        }),
      );
      return { ...present(created), key: created.key };
    },
  }),
  route({
    method: "GET",
    path: "/users/:id/api-keys",
    summary: "An account's API keys, revoked ones included, newest first (never their secrets)",
    tags,
    dispatches: ListApiKeys,
    params: UserParams,
    response: object({ items: t.array(ApiKey) }),
    message: "api keys listed",
    handle: async ({ params }, { queries, context }) => ({
      items: (await queries.dispatch(new ListApiKeys(context, params.id))).map(present),
    }),
  }),
  route({
    method: "DELETE",
    path: "/users/:id/api-keys/:keyId",
    summary: "Revoke an API key: one's own, or any with user:manage",
    tags,
    dispatches: RevokeApiKey,
    params: ApiKeyParams,
    response: object({ id: t.string }),
    message: "api key revoked",
    handle: async ({ params }, { commands, context }) => {
      await commands.dispatch(new RevokeApiKey(context, { userId: params.id, keyId: params.keyId }));
      return { id: params.keyId };
    },
  }),
];
