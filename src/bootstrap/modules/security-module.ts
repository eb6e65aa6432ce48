import type { JsonWebKey } from "node:crypto";
import { Argon2PasswordHasher } from "../../adapters/security/argon2-password-hasher.js";
import { JoseAccessTokens } from "../../adapters/security/jose-access-tokens.js";
import type { JwtKeyOptions } from "../../adapters/security/jwt-keys.js";
import { RandomOpaqueTokens } from "../../adapters/security/random-opaque-tokens.js";
import type { RolePolicy } from "../../application/auth/auth-settings.js";
import { Authenticator } from "../../application/auth/authenticator.js";
import type { RolePermissions } from "../../application/shared/permissions.js";
import { AccessTokens } from "../../ports/access-tokens.js";
import { ApiKeys } from "../../ports/auth/api-keys.js";
import { Clock } from "../../ports/clock.js";
import { OpaqueTokens } from "../../ports/opaque-tokens.js";
import { PasswordHasher } from "../../ports/password-hasher.js";
import { UserReadModel } from "../../ports/user/user-read-model.js";
import type { AppConfig, ConfigStore } from "../config/index.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";

/**
 * How keel checks who is calling: argon2id password hashing, signed access tokens, random secrets
 * for refresh tokens and API keys, the role policy from config, and the authenticator that turns
 * credentials into a principal.
 */
export const securityModule: Module = (container, config) => {
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
