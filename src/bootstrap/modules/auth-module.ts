import { apiKeyRoutes } from "../../adapters/http/users/api-key-routes.js";
import type { RolePolicy } from "../../application/auth/auth-settings.js";
import { CreateApiKey, CreateApiKeyHandler } from "../../application/auth/create-api-key.js";
import { ListApiKeys, ListApiKeysHandler } from "../../application/auth/list-api-keys.js";
import { RefreshSession, RefreshSessionHandler } from "../../application/auth/refresh-session.js";
import { RevokeApiKey, RevokeApiKeyHandler } from "../../application/auth/revoke-api-key.js";
import {
  RevokeRefreshToken,
  RevokeRefreshTokenHandler,
} from "../../application/auth/revoke-refresh-token.js";
import { Sessions } from "../../application/auth/sessions.js";
import {
  SignInWithPassword,
  SignInWithPasswordHandler,
} from "../../application/auth/sign-in-with-password.js";
import { AccessTokens } from "../../ports/access-tokens.js";
import { ApiKeys } from "../../ports/api-keys.js";
import { Clock } from "../../ports/clock.js";
import { Credentials } from "../../ports/credentials.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { OpaqueTokens } from "../../ports/opaque-tokens.js";
import { PasswordHasher } from "../../ports/password-hasher.js";
import { RefreshTokens } from "../../ports/refresh-tokens.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { UserReadModel } from "../../ports/user-read-model.js";
import { UserRepository } from "../../ports/user-repository.js";
import { Tokens } from "../tokens.js";
import { bindCommand, bindQuery } from "./handler-registration.js";
import type { Module } from "./module.js";

/** Signing in and staying signed in: sessions from the token endpoint, and API keys with their routes. */
export const authModule: Module = (container, config) => {
  container.bind(Tokens.Sessions).toResolvedValue(
    (
      tokens: AccessTokens,
      refreshTokens: RefreshTokens,
      secrets: OpaqueTokens,
      ids: IdGenerator,
      clock: Clock,
      roles: RolePolicy,
    ) =>
      new Sessions(tokens, refreshTokens, secrets, ids, clock, roles, {
        refreshTokenTtlS: config.auth.refreshTokenTtlS,
      }),
    [AccessTokens, RefreshTokens, OpaqueTokens, IdGenerator, Clock, Tokens.RolePolicy],
  );
  bindCommand(container, SignInWithPassword, SignInWithPasswordHandler, [
    UserRepository,
    UserReadModel,
    Credentials,
    PasswordHasher,
    Tokens.Sessions,
    UnitOfWork,
  ]);
  bindCommand(container, RefreshSession, RefreshSessionHandler, [
    RefreshTokens,
    UserReadModel,
    OpaqueTokens,
    Tokens.Sessions,
    Clock,
    UnitOfWork,
  ]);
  bindCommand(container, RevokeRefreshToken, RevokeRefreshTokenHandler, [RefreshTokens, OpaqueTokens, Clock]);
  bindCommand(container, CreateApiKey, CreateApiKeyHandler, [ApiKeys, OpaqueTokens, IdGenerator, Clock]);
  bindQuery(container, ListApiKeys, ListApiKeysHandler, [ApiKeys]);
  bindCommand(container, RevokeApiKey, RevokeApiKeyHandler, [ApiKeys, Clock]);

  container.bind(Tokens.ApiRoutes).toConstantValue({ version: "v1", routes: apiKeyRoutes });
  container.bind(Tokens.ApiRoutes).toConstantValue({ version: "v2", routes: apiKeyRoutes });
};
