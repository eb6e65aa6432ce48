import type { JsonWebKey } from "node:crypto";
import { apiKeyRoutes } from "../../adapters/http/users/api-key-routes.js";
import { v1UserRoutes } from "../../adapters/http/users/v1-users.js";
import { v2UserRoutes } from "../../adapters/http/users/v2-users.js";
import { Argon2PasswordHasher } from "../../adapters/security/argon2-password-hasher.js";
import { JoseAccessTokens } from "../../adapters/security/jose-access-tokens.js";
import type { JwtKeyOptions } from "../../adapters/security/jwt-keys.js";
import { RandomOpaqueTokens } from "../../adapters/security/random-opaque-tokens.js";
import type { RolePolicy } from "../../application/auth/auth-settings.js";
import { Authenticator } from "../../application/auth/authenticator.js";
import { CreateApiKey, CreateApiKeyHandler } from "../../application/auth/create-api-key.js";
import { ListApiKeys, ListApiKeysHandler } from "../../application/auth/list-api-keys.js";
import { RefreshSession, RefreshSessionHandler } from "../../application/auth/refresh-session.js";
import { RevokeApiKey, RevokeApiKeyHandler } from "../../application/auth/revoke-api-key.js";
import {
  RevokeRefreshToken,
  RevokeRefreshTokenHandler,
} from "../../application/auth/revoke-refresh-token.js";
import {
  SignInWithPassword,
  SignInWithPasswordHandler,
} from "../../application/auth/sign-in-with-password.js";
import { Sessions } from "../../application/auth/token-grant.js";
import type { RolePermissions } from "../../application/shared/permissions.js";
import { AssignRoles, AssignRolesHandler } from "../../application/user/assign-roles.js";
import { ChangePassword, ChangePasswordHandler } from "../../application/user/change-password.js";
import { DeactivateUser, DeactivateUserHandler } from "../../application/user/deactivate-user.js";
import { GetUser, GetUserHandler } from "../../application/user/get-user.js";
import { ListUsers, ListUsersHandler } from "../../application/user/list-users.js";
import {
  CreateUser,
  CreateUserHandler,
  RegisterUser,
  RegisterUserHandler,
} from "../../application/user/register-user.js";
import { UpdateProfile, UpdateProfileHandler } from "../../application/user/update-profile.js";
import type { AccountRules } from "../../application/user/user-settings.js";
import { WelcomeMail } from "../../application/user/welcome-mail.js";
import { AccessTokens } from "../../ports/access-tokens.js";
import { ApiKeys } from "../../ports/api-keys.js";
import { Clock } from "../../ports/clock.js";
import { Credentials } from "../../ports/credentials.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Mailer } from "../../ports/mailer.js";
import { OpaqueTokens } from "../../ports/opaque-tokens.js";
import { PasswordHasher } from "../../ports/password-hasher.js";
import { RefreshTokens } from "../../ports/refresh-tokens.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { UserReadModel } from "../../ports/user-read-model.js";
import { UserRepository } from "../../ports/user-repository.js";
import type { AppConfig, ConfigStore } from "../config/index.js";
import { Tokens } from "../tokens.js";
import { bootstrapAdmin } from "./bootstrap-admin.js";
import { handles } from "./handler-registration.js";
import type { Module } from "./module.js";

/**
 * The user context and everything that signs people and keys in: password hashing, tokens, the
 * handlers, the routes in each API version, the welcome mail, and the bootstrap admin.
 */
export const identityModule: Module = (container, config, role) => {
  container.bind(PasswordHasher).toResolvedValue(
    () =>
      new Argon2PasswordHasher({
        memoryCostKiB: config.argon2.memoryKib,
        timeCost: config.argon2.timeCost,
        parallelism: config.argon2.parallelism,
      }),
  );
  container.bind(AccessTokens).toResolvedValue(
    (clock: Clock) =>
      new JoseAccessTokens({
        ...jwtKeys(config.auth),
        issuer: config.auth.issuer,
        audience: config.auth.audience,
        ttlSeconds: config.auth.accessTokenTtlS,
        clockToleranceSeconds: config.auth.clockToleranceS,
        now: () => clock.now(),
      }),
    [Clock],
  );
  container.bind(OpaqueTokens).toResolvedValue(() => new RandomOpaqueTokens());
  container
    .bind(Tokens.RolePolicy)
    .toResolvedValue(
      (store: ConfigStore): RolePolicy => store.select((c) => c.auth.rolePermissions as RolePermissions),
      [Tokens.ConfigStore],
    );
  container.bind(Tokens.AccountRules).toResolvedValue(
    (store: ConfigStore): AccountRules =>
      store.select((c) => ({
        passwordMinLength: c.auth.passwordMinLength,
        defaultRoles: c.auth.defaultRoles,
      })),
    [Tokens.ConfigStore],
  );
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
  container
    .bind(Tokens.Authenticator)
    .toResolvedValue(
      (
        tokens: AccessTokens,
        apiKeys: ApiKeys,
        accounts: UserReadModel,
        secrets: OpaqueTokens,
        clock: Clock,
        roles: RolePolicy,
      ) => new Authenticator(tokens, apiKeys, accounts, secrets, clock, roles),
      [AccessTokens, ApiKeys, UserReadModel, OpaqueTokens, Clock, Tokens.RolePolicy],
    );

  const opening = [
    UserRepository,
    Credentials,
    PasswordHasher,
    IdGenerator,
    Clock,
    UnitOfWork,
    Tokens.AccountRules,
  ] as const;
  type Opening = ConstructorParameters<typeof RegisterUserHandler>;
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (...deps: Opening) => handles(RegisterUser, new RegisterUserHandler(...deps)),
      [...opening],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue((...deps: Opening) => handles(CreateUser, new CreateUserHandler(...deps)), [...opening]);
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (users: UserRepository, clock: Clock) => handles(UpdateProfile, new UpdateProfileHandler(users, clock)),
      [UserRepository, Clock],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (users: UserRepository, clock: Clock) => handles(AssignRoles, new AssignRolesHandler(users, clock)),
      [UserRepository, Clock],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (users: UserRepository, refreshTokens: RefreshTokens, clock: Clock) =>
        handles(DeactivateUser, new DeactivateUserHandler(users, refreshTokens, clock)),
      [UserRepository, RefreshTokens, Clock],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (...deps: ConstructorParameters<typeof ChangePasswordHandler>) =>
        handles(ChangePassword, new ChangePasswordHandler(...deps)),
      [UserRepository, Credentials, RefreshTokens, PasswordHasher, Clock, UnitOfWork, Tokens.AccountRules],
    );
  container
    .bind(Tokens.QueryHandlers)
    .toResolvedValue(
      (users: UserReadModel, roles: RolePolicy) => handles(GetUser, new GetUserHandler(users, roles)),
      [UserReadModel, Tokens.RolePolicy],
    );
  container
    .bind(Tokens.QueryHandlers)
    .toResolvedValue(
      (users: UserReadModel, roles: RolePolicy) => handles(ListUsers, new ListUsersHandler(users, roles)),
      [UserReadModel, Tokens.RolePolicy],
    );

  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (...deps: ConstructorParameters<typeof SignInWithPasswordHandler>) =>
        handles(SignInWithPassword, new SignInWithPasswordHandler(...deps)),
      [UserRepository, UserReadModel, Credentials, PasswordHasher, Tokens.Sessions, UnitOfWork],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (...deps: ConstructorParameters<typeof RefreshSessionHandler>) =>
        handles(RefreshSession, new RefreshSessionHandler(...deps)),
      [RefreshTokens, UserReadModel, OpaqueTokens, Tokens.Sessions, Clock, UnitOfWork],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (refreshTokens: RefreshTokens, secrets: OpaqueTokens, clock: Clock) =>
        handles(RevokeRefreshToken, new RevokeRefreshTokenHandler(refreshTokens, secrets, clock)),
      [RefreshTokens, OpaqueTokens, Clock],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (apiKeys: ApiKeys, secrets: OpaqueTokens, ids: IdGenerator, clock: Clock) =>
        handles(CreateApiKey, new CreateApiKeyHandler(apiKeys, secrets, ids, clock)),
      [ApiKeys, OpaqueTokens, IdGenerator, Clock],
    );
  container
    .bind(Tokens.QueryHandlers)
    .toResolvedValue((apiKeys: ApiKeys) => handles(ListApiKeys, new ListApiKeysHandler(apiKeys)), [ApiKeys]);
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (apiKeys: ApiKeys, clock: Clock) => handles(RevokeApiKey, new RevokeApiKeyHandler(apiKeys, clock)),
      [ApiKeys, Clock],
    );

  container.bind(Tokens.EventHandlers).toResolvedValue((mailer: Mailer) => new WelcomeMail(mailer), [Mailer]);

  container
    .bind(Tokens.ApiRoutes)
    .toConstantValue({ version: "v1", routes: [...v1UserRoutes, ...apiKeyRoutes] });
  container
    .bind(Tokens.ApiRoutes)
    .toConstantValue({ version: "v2", routes: [...v2UserRoutes, ...apiKeyRoutes] });

  if (role === "serve") bootstrapAdmin(container, config);
};

/** The key material for the configured algorithm, in the shape the token adapter checks at start-up. */
function jwtKeys(auth: AppConfig["auth"]): JwtKeyOptions {
  if (auth.jwtAlgorithm === "HS256") {
    return { algorithm: "HS256", ...(auth.jwtSecret === undefined ? {} : { secret: auth.jwtSecret }) };
  }
  const signing = auth.jwtSigningKey as (JsonWebKey & { kid?: unknown }) | undefined;
  const verification = (
    Array.isArray(auth.jwtVerificationKeys) ? auth.jwtVerificationKeys : []
  ) as (JsonWebKey & {
    kid?: unknown;
  })[];
  return {
    algorithm: auth.jwtAlgorithm,
    ...(signing === undefined ? {} : { signingKey: { kid: String(signing.kid ?? ""), privateJwk: signing } }),
    verificationKeys: verification.map((jwk) => ({ kid: String(jwk.kid ?? ""), publicJwk: jwk })),
  };
}
