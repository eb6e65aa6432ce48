import type { Clock } from "../../ports/clock.js";
import type { UserRepository } from "../../ports/user-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import type { ExpectedVersions } from "../shared/expected-version.js";
import { Command, type Handler } from "../shared/message.js";
import { PERMISSIONS } from "../shared/permissions.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { loadUser } from "./load-user.js";

/**
 * Replaces an account's roles. Access tokens carry roles, so the change reaches a signed-in user at
 * their next refresh (within the access-token lifetime).
 */
export class AssignRoles extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly userId: string;
      readonly roles: readonly string[];
      /** The versions this change is based on, when it is conditional; see ExpectedVersions. */
      readonly expectedVersions?: ExpectedVersions;
    },
  ) {
    super(context);
  }
}

export class AssignRolesHandler implements Handler<AssignRoles> {
  readonly requires = requiresPermission(PERMISSIONS.userManage);

  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: AssignRoles): Promise<Written> {
    const user = await loadUser(this.users, input.userId, input.expectedVersions);
    user.assignRoles(input.roles, this.clock.now());
    await this.users.save(user);
    return { id: user.id, version: user.version };
  }
}
