import type { RefreshTokens } from "../../ports/auth/refresh-tokens.js";
import type { Clock } from "../../ports/clock.js";
import type { UserRepository } from "../../ports/user/user-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import type { ExpectedVersions } from "../shared/expected-version.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { loadUser } from "./load-user.js";
import { USER_MANAGE } from "./user-permissions.js";

/**
 * Closes an account: its refresh tokens are revoked with it, and its API keys stop working (they are
 * checked against the account on every use). Access tokens already issued expire on their own.
 */
export class DeactivateUser extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly userId: string,
    /** The versions this change is based on, when it is conditional; see ExpectedVersions. */
    readonly expectedVersions?: ExpectedVersions,
  ) {
    super(context);
  }
}

export class DeactivateUserHandler implements Handler<DeactivateUser> {
  readonly requires = requiresPermission(USER_MANAGE);

  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokens,
    private readonly clock: Clock,
  ) {}

  async handle({ userId, expectedVersions }: DeactivateUser): Promise<Written> {
    const user = await loadUser(this.users, userId, expectedVersions);
    const now = this.clock.now();
    user.deactivate(now);
    await this.users.save(user);
    await this.refreshTokens.revokeAllOfUser(user.id, now);
    return { id: user.id, version: user.version };
  }
}
