import type { Clock } from "../../ports/clock.js";
import type { UserRepository } from "../../ports/user/user-repository.js";
import type { RolePolicy } from "../auth/auth-settings.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import type { ExpectedVersions } from "../shared/expected-version.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { definedRoles } from "./defined-roles.js";
import { loadUser } from "./load-user.js";
import { USER_MANAGE } from "./user-permissions.js";

/**
 * Replaces an account's roles, each one a role the live configuration defines. Access tokens carry
 * roles, so the change reaches a signed-in user at their next refresh (within the access-token
 * lifetime).
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
  readonly requires = requiresPermission(USER_MANAGE);

  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
    private readonly roles: RolePolicy,
  ) {}

  async handle({ input }: AssignRoles): Promise<Written> {
    const roles = definedRoles(input.roles, this.roles);
    const user = await loadUser(this.users, input.userId, input.expectedVersions);
    user.assignRoles(roles, this.clock.now());
    await this.users.save(user);
    return { id: user.id, version: user.version };
  }
}
