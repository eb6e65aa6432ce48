import type { UserReadModel } from "../../ports/user/user-read-model.js";
import type { RolePolicy } from "../auth/auth-settings.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { ownerOr } from "../shared/requirement.js";
import { USER_READ_ANY } from "./user-permissions.js";
import { profileOf, type UserProfile } from "./user-profile.js";

/** One account's profile: one's own, or any with user:read:any. */
export class GetUser extends Query<UserProfile> {
  constructor(
    context: ExecutionContext,
    readonly userId: string,
  ) {
    super(context);
  }
}

export class GetUserHandler implements Handler<GetUser> {
  readonly requires = ownerOr(USER_READ_ANY, (query: GetUser) => query.userId);

  constructor(
    private readonly users: UserReadModel,
    private readonly roles: RolePolicy,
  ) {}

  async handle({ userId }: GetUser): Promise<UserProfile> {
    const view = await this.users.get(userId);
    if (view === undefined) throw new NotFound("user", userId);
    return profileOf(view, this.roles);
  }
}
