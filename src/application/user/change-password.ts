import { InvalidValue } from "../../domain/shared/domain-error.js";
import { checkPassword } from "../../domain/user/password-policy.js";
import type { RefreshTokens } from "../../ports/auth/refresh-tokens.js";
import type { Clock } from "../../ports/clock.js";
import type { PasswordHasher } from "../../ports/password-hasher.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import type { Credentials } from "../../ports/user/credentials.js";
import type { UserRepository } from "../../ports/user/user-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import type { ExpectedVersions } from "../shared/expected-version.js";
import { Command, type Handler } from "../shared/message.js";
import { selfOnly } from "../shared/requirement.js";
import { eventMetadata } from "../shared/unit-of-work-behaviour.js";
import type { Written } from "../shared/written.js";
import { loadUser } from "./load-user.js";
import type { AccountRules } from "./user-settings.js";

export class ChangePassword extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly userId: string;
      readonly currentPassword: string;
      readonly newPassword: string;
      /** The versions this change is based on, when it is conditional; see ExpectedVersions. */
      readonly expectedVersions?: ExpectedVersions;
    },
  ) {
    super(context);
  }
}

/**
 * Only the account itself, signed in, proving the current password. Every refresh token of the
 * account is revoked with the change, so a stolen session ends here.
 */
export class ChangePasswordHandler implements Handler<ChangePassword> {
  readonly requires = selfOnly((command: ChangePassword) => command.input.userId);
  readonly ownsTransaction = true;

  constructor(
    private readonly users: UserRepository,
    private readonly credentials: Credentials,
    private readonly refreshTokens: RefreshTokens,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly rules: AccountRules,
  ) {}

  async handle({ context, input }: ChangePassword): Promise<Written> {
    // Checked here as well, so that a stale change is refused before the slow hashing.
    const current = await loadUser(this.users, input.userId, input.expectedVersions);
    const stored = await this.credentials.passwordHash(current.id);
    if (stored === undefined || !(await this.hasher.verify(stored, input.currentPassword))) {
      throw new InvalidValue("currentPassword", "the current password is not correct");
    }
    checkPassword("newPassword", input.newPassword, current.snapshot().email, {
      minLength: this.rules.get().passwordMinLength,
    });
    const hash = await this.hasher.hash(input.newPassword);
    return this.unitOfWork.run(eventMetadata(context), async () => {
      // Loaded again inside the transaction: the save below checks its version, so the expected
      // version holds for what is written.
      const user = await loadUser(this.users, input.userId, input.expectedVersions);
      const now = this.clock.now();
      user.passwordChanged(now);
      await this.users.save(user);
      await this.credentials.setPasswordHash(user.id, hash);
      await this.refreshTokens.revokeAllOfUser(user.id, now);
      return { id: user.id, version: user.version };
    });
  }
}
