import type { RefreshTokens } from "../../ports/auth/refresh-tokens.js";
import type { Clock } from "../../ports/clock.js";
import type { OpaqueTokens } from "../../ports/opaque-tokens.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import type { UserReadModel } from "../../ports/user/user-read-model.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { PUBLIC } from "../shared/requirement.js";
import { eventMetadata } from "../shared/unit-of-work-behaviour.js";
import { RefreshTokenRejected, ScopeNotGranted } from "./auth-errors.js";
import type { Sessions, TokenGrant } from "./sessions.js";

/** OAuth2 refresh_token grant: a refresh token for a new access token and a new refresh token. */
export class RefreshSession extends Command<TokenGrant> {
  constructor(
    context: ExecutionContext,
    readonly input: { readonly refreshToken: string; readonly scopes: readonly string[] },
  ) {
    super(context);
  }
}

/**
 * Rotation with reuse detection (OAuth 2.0 Security BCP, section 4.14): each refresh token works
 * once. When a used token comes back, either its holder or a thief has a copy, and keel cannot tell
 * which: the whole family (every token descended from that login) is revoked, ending both sessions.
 * The revocation commits before the refusal is returned.
 */
export class RefreshSessionHandler implements Handler<RefreshSession> {
  readonly requires = PUBLIC;
  readonly ownsTransaction = true;

  constructor(
    private readonly refreshTokens: RefreshTokens,
    private readonly accounts: UserReadModel,
    private readonly secrets: OpaqueTokens,
    private readonly sessions: Sessions,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async handle({ context, input }: RefreshSession): Promise<TokenGrant> {
    const now = this.clock.now();
    const token = await this.refreshTokens.findBySecretHash(this.secrets.hashOf(input.refreshToken));
    if (token === undefined) throw new RefreshTokenRejected("unknown");
    if (token.revokedAt !== undefined) throw new RefreshTokenRejected("revoked");
    const revokeFamily = () =>
      this.unitOfWork.run(eventMetadata(context), () => this.refreshTokens.revokeFamily(token.familyId, now));
    if (token.rotatedAt !== undefined) {
      await revokeFamily();
      throw new RefreshTokenRejected("reused");
    }
    if (token.expiresAt.getTime() <= now.getTime()) throw new RefreshTokenRejected("expired");
    const account = await this.accounts.get(token.userId);
    if (account === undefined || !account.active) {
      await revokeFamily();
      throw new RefreshTokenRejected("account");
    }
    // A refresh may narrow the scope, never widen it (RFC 6749 section 6).
    const widened = token.scopes.length > 0 ? input.scopes.filter((s) => !token.scopes.includes(s)) : [];
    if (widened.length > 0) throw new ScopeNotGranted(widened);
    const scopes = this.sessions.grantable(account, input.scopes.length > 0 ? input.scopes : token.scopes);

    const outcome = await this.unitOfWork.run(eventMetadata(context), async () => {
      // Of two concurrent uses of one token exactly one wins here; the loser is a reuse.
      if (!(await this.refreshTokens.markRotated(token.id, now))) return undefined;
      return this.sessions.issue(account, scopes, token.familyId);
    });
    if (outcome === undefined) {
      await revokeFamily();
      throw new RefreshTokenRejected("reused");
    }
    return outcome;
  }
}
