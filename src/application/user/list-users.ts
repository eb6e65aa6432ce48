import type { Page } from "../../ports/page.js";
import type { UserCriteria, UserReadModel } from "../../ports/user/user-read-model.js";
import type { RolePolicy } from "../auth/auth-settings.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import { USER_READ_ANY } from "./user-permissions.js";
import { profileOf, type UserProfile } from "./user-profile.js";

export const DEFAULT_USER_PAGE_SIZE = 20;
export const MAX_USER_PAGE_SIZE = 100;

export class ListUsers extends Query<Page<UserProfile>> {
  constructor(
    context: ExecutionContext,
    readonly criteria: UserCriteria,
  ) {
    super(context);
  }
}

export class ListUsersHandler implements Handler<ListUsers> {
  readonly requires = requiresPermission(USER_READ_ANY);

  constructor(
    private readonly users: UserReadModel,
    private readonly roles: RolePolicy,
  ) {}

  async handle({ criteria }: ListUsers): Promise<Page<UserProfile>> {
    const page = await this.users.list(criteria);
    return { items: page.items.map((view) => profileOf(view, this.roles)), total: page.total };
  }
}
