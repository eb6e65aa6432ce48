import type { AccessTokens } from "../../ports/access-tokens.js";
import type { RefreshTokens } from "../../ports/auth/refresh-tokens.js";
import type { Clock } from "../../ports/clock.js";
import type { IdGenerator } from "../../ports/id-generator.js";
import type { OpaqueTokens } from "../../ports/opaque-tokens.js";
import { permissionsOf } from "../shared/permissions.js";
import { ScopeNotGranted } from "./auth-errors.js";
import type { RolePolicy, SessionSettings } from "./auth-settings.js";

/** What the token endpoint hands out (RFC 6749 section 5.1). */
export interface TokenGrant {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly refreshToken: string;
  /** What the access token allows: the granted scopes, or every permission of the roles. */
  readonly scopes: readonly string[];
}

export interface SessionAccount {
  readonly id: string;
  readonly roles: readonly string[];
}

/**
 * Issues an access token and a refresh token for an account. The refresh token's secret is returned
 * once and stored only as a hash. A login starts a family; each refresh continues it.
 */
export class Sessions {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokens,
    private readonly secrets: OpaqueTokens,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly roles: RolePolicy,
    private readonly settings: SessionSettings,
  ) {}

  /**
   * The scopes to grant: those asked for, if the account holds all of them, or none (meaning
   * everything its roles grant, now and after a role change).
   */
  grantable(account: SessionAccount, requested: readonly string[]): readonly string[] {
    const held = permissionsOf(account.roles, this.roles.get());
    const wanted = [...new Set(requested)].sort();
    const missing = wanted.filter((scope) => !held.has(scope));
    if (missing.length > 0) throw new ScopeNotGranted(missing);
    return wanted;
  }

  /** Call inside a unit of work: the new refresh token is stored with whatever else changes. */
  async issue(account: SessionAccount, scopes: readonly string[], familyId?: string): Promise<TokenGrant> {
    const now = this.clock.now();
    const access = await this.accessTokens.issue({ subject: account.id, roles: account.roles, scopes });
    const refresh = this.secrets.generate();
    await this.refreshTokens.add({
      id: this.ids.next(),
      familyId: familyId ?? this.ids.next(),
      userId: account.id,
      secretHash: refresh.hash,
      scopes,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.settings.refreshTokenTtlS * 1000),
    });
    return {
      accessToken: access.token,
      expiresIn: access.expiresIn,
      refreshToken: refresh.secret,
      scopes: scopes.length > 0 ? scopes : [...permissionsOf(account.roles, this.roles.get())].sort(),
    };
  }
}
