import { type AccessTokens, InvalidAccessToken } from "../../ports/access-tokens.js";
import type { ApiKeys } from "../../ports/auth/api-keys.js";
import type { Clock } from "../../ports/clock.js";
import type { OpaqueTokens } from "../../ports/opaque-tokens.js";
import type { UserReadModel } from "../../ports/user/user-read-model.js";
import { Unauthenticated } from "../shared/authorization.js";
import type { Principal } from "../shared/execution-context.js";
import { permissionsOf } from "../shared/permissions.js";
import { parseApiKey } from "./api-key-format.js";
import type { RolePolicy } from "./auth-settings.js";

/**
 * Turns presented credentials into a principal, or refuses them with Unauthenticated. Driving
 * adapters (HTTP today) call it once per request; everything after works with the principal.
 */
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly apiKeys: ApiKeys,
    private readonly accounts: UserReadModel,
    private readonly secrets: OpaqueTokens,
    private readonly clock: Clock,
    private readonly roles: RolePolicy,
  ) {}

  /**
   * An access token is trusted on its signature alone (no lookup per request): its roles map to
   * permissions as configured now, narrowed to its scope when it has one.
   */
  async bearer(token: string): Promise<Principal> {
    let claims: Awaited<ReturnType<AccessTokens["verify"]>>;
    try {
      claims = await this.accessTokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessToken)
        throw new Unauthenticated("the access token is not valid", true);
      throw error;
    }
    const granted = permissionsOf(claims.roles, this.roles.get());
    const permissions =
      claims.scopes.length === 0 ? granted : new Set(claims.scopes.filter((scope) => granted.has(scope)));
    return { kind: "user", userId: claims.subject, roles: claims.roles, permissions };
  }

  /**
   * An API key is looked up on every use: it must be live, and its owner active. It acts with the
   * permissions it was given that its owner still holds.
   */
  async apiKey(value: string): Promise<Principal> {
    const refused = new Unauthenticated("the API key is not valid", true);
    const parsed = parseApiKey(value);
    if (parsed === undefined) throw refused;
    const key = await this.apiKeys.findByPrefix(parsed.prefix);
    if (key === undefined || !this.secrets.sameHash(key.secretHash, this.secrets.hashOf(parsed.secret))) {
      throw refused;
    }
    const now = this.clock.now();
    if (key.revokedAt !== undefined || (key.expiresAt !== undefined && key.expiresAt <= now)) throw refused;
    const owner = await this.accounts.get(key.userId);
    if (owner === undefined || !owner.active) throw refused;
    const held = permissionsOf(owner.roles, this.roles.get());
    await this.apiKeys.touch(key.id, now);
    return {
      kind: "apiKey",
      keyId: key.id,
      userId: key.userId,
      permissions: new Set(key.permissions.filter((permission) => held.has(permission))),
    };
  }
}
