import type { Clock } from "../../ports/clock.js";
import type { UserRepository } from "../../ports/user/user-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import type { ExpectedVersions } from "../shared/expected-version.js";
import { Command, type Handler } from "../shared/message.js";
import { ownerOr } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { loadUser } from "./load-user.js";
import { USER_WRITE_ANY } from "./user-permissions.js";

export class UpdateProfile extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly userId: string;
      readonly givenName: string;
      readonly familyName: string;
      /** The versions this change is based on, when it is conditional; see ExpectedVersions. */
      readonly expectedVersions?: ExpectedVersions;
    },
  ) {
    super(context);
  }
}

/** One's own profile, or anyone's with user:write:any. */
export class UpdateProfileHandler implements Handler<UpdateProfile> {
  readonly requires = ownerOr(USER_WRITE_ANY, (command: UpdateProfile) => command.input.userId);

  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: UpdateProfile): Promise<Written> {
    const user = await loadUser(this.users, input.userId, input.expectedVersions);
    user.updateProfile(input.givenName, input.familyName, this.clock.now());
    await this.users.save(user);
    return { id: user.id, version: user.version };
  }
}
