import type { RefreshTokens } from "../../ports/auth/refresh-tokens.js";
import type { Clock } from "../../ports/clock.js";
import type { OpaqueTokens } from "../../ports/opaque-tokens.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { PUBLIC } from "../shared/requirement.js";

/**
 * Signing out (RFC 7009): the refresh token's whole family is revoked. Possession of the token is
 * the authority, and the answer is the same whether the token was known or not.
 */
export class RevokeRefreshToken extends Command<void> {
  constructor(
    context: ExecutionContext,
    readonly token: string,
  ) {
    super(context);
  }
}

export class RevokeRefreshTokenHandler implements Handler<RevokeRefreshToken> {
  readonly requires = PUBLIC;

  constructor(
    private readonly refreshTokens: RefreshTokens,
    private readonly secrets: OpaqueTokens,
    private readonly clock: Clock,
  ) {}

  async handle({ token }: RevokeRefreshToken): Promise<void> {
    const found = await this.refreshTokens.findBySecretHash(this.secrets.hashOf(token));
    if (found !== undefined) await this.refreshTokens.revokeFamily(found.familyId, this.clock.now());
  }
}
