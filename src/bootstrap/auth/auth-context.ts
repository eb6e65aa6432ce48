import { apiKeyRoutes } from "../../adapters/auth/http/api-key-routes.js";
import { MemoryApiKeys } from "../../adapters/auth/memory/memory-api-keys.js";
import { MemoryRefreshTokens } from "../../adapters/auth/memory/memory-refresh-tokens.js";
import * as refreshTokenExpiryIndex from "../../adapters/auth/migrations/2026-11-24T0500-refresh-token-expiry-index.js";
import { KyselyApiKeys } from "../../adapters/auth/sql/kysely-api-keys.js";
import { KyselyRefreshTokens } from "../../adapters/auth/sql/kysely-refresh-tokens.js";
import type { RolePolicy } from "../../application/auth/auth-settings.js";
import { CreateApiKey, CreateApiKeyHandler } from "../../application/auth/create-api-key.js";
import { ListApiKeys, ListApiKeysHandler } from "../../application/auth/list-api-keys.js";
import { RefreshSession, RefreshSessionHandler } from "../../application/auth/refresh-session.js";
import { RefreshTokenPurge, refreshTokenPurgeSchedule } from "../../application/auth/refresh-token-purge.js";
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
import { Permissions } from "../../application/shared/permissions.js";
import { AccessTokens } from "../../ports/access-tokens.js";
import { ApiKeys } from "../../ports/auth/api-keys.js";
import { RefreshTokens } from "../../ports/auth/refresh-tokens.js";
import { Clock } from "../../ports/clock.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Logger } from "../../ports/logger.js";
import { OpaqueTokens } from "../../ports/opaque-tokens.js";
import { PasswordHasher } from "../../ports/password-hasher.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { Credentials } from "../../ports/user/credentials.js";
import { UserReadModel } from "../../ports/user/user-read-model.js";
import { UserRepository } from "../../ports/user/user-repository.js";
import { defineContext } from "../context/context-module.js";
import {
  bindAdapter,
  bindCommand,
  bindJobHandler,
  bindQuery,
  bindSchedule,
} from "../modules/handler-registration.js";
import { Tokens } from "../tokens.js";
/** Signing in and staying signed in: sessions from the token endpoint, and API keys with their routes. */
export default defineContext({
  name: "auth",
  migrations: { "2026-11-24T0500-refresh-token-expiry-index": refreshTokenExpiryIndex },
  adapters: {
    memory: ({ container }) => {
      bindAdapter(container, RefreshTokens, MemoryRefreshTokens, [Tokens.MemoryDatabase]);
      bindAdapter(container, ApiKeys, MemoryApiKeys, [Tokens.MemoryDatabase]);
    },
    sql: ({ container }) => {
      bindAdapter(container, RefreshTokens, KyselyRefreshTokens, [Tokens.TransactionScope]);
      bindAdapter(container, ApiKeys, KyselyApiKeys, [Tokens.TransactionScope]);
    },
  },
  bind: ({ container, config }) => {
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
    bindCommand(container, RevokeRefreshToken, RevokeRefreshTokenHandler, [
      RefreshTokens,
      OpaqueTokens,
      Clock,
    ]);
    bindCommand(container, CreateApiKey, CreateApiKeyHandler, [
      ApiKeys,
      OpaqueTokens,
      IdGenerator,
      Clock,
      Permissions,
    ]);
    bindQuery(container, ListApiKeys, ListApiKeysHandler, [ApiKeys]);
    bindCommand(container, RevokeApiKey, RevokeApiKeyHandler, [ApiKeys, Clock]);

    bindJobHandler(container, RefreshTokenPurge, [RefreshTokens, Clock, Logger]);
    bindSchedule(container, refreshTokenPurgeSchedule);
  },
  routes: { v1: apiKeyRoutes, v2: apiKeyRoutes },
});
