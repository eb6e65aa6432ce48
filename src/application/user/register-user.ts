import { email as normalisedEmail } from "../../domain/user/email.js";
import { checkPassword } from "../../domain/user/password-policy.js";
import { User } from "../../domain/user/user.js";
import { EmailAlreadyRegistered } from "../../domain/user/user-errors.js";
import type { Clock } from "../../ports/clock.js";
import type { IdGenerator } from "../../ports/id-generator.js";
import type { PasswordHasher } from "../../ports/password-hasher.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import type { Credentials } from "../../ports/user/credentials.js";
import type { UserRepository } from "../../ports/user/user-repository.js";
import type { RolePolicy } from "../auth/auth-settings.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { PUBLIC, requiresPermission } from "../shared/requirement.js";
import { eventMetadata } from "../shared/unit-of-work-behaviour.js";
import type { Written } from "../shared/written.js";
import { definedRoles } from "./defined-roles.js";
import { USER_MANAGE } from "./user-permissions.js";
import type { AccountRules } from "./user-settings.js";

export interface NewAccount {
  readonly email: string;
  readonly password: string;
  readonly givenName: string;
  readonly familyName: string;
}

/** Anyone may open an account; it gets the configured default roles. */
export class RegisterUser extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: NewAccount,
  ) {
    super(context);
  }
}

/**
 * An administrator (or keel itself, for the bootstrap admin; or an operator, with `keel users create`)
 * opens an account with chosen roles, each one a role the live configuration defines.
 */
export class CreateUser extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: NewAccount & { readonly roles: readonly string[] },
  ) {
    super(context);
  }
}

/**
 * Opening an account: the rules are checked and the password hashed before the transaction opens,
 * because hashing is deliberately slow and must not hold a database connection. The account and its
 * hash are then stored together, or neither is.
 */
class AccountOpening {
  constructor(
    private readonly users: UserRepository,
    private readonly credentials: Credentials,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly rules: AccountRules,
    private readonly rolePolicy: RolePolicy,
  ) {}

  async open(context: ExecutionContext, input: NewAccount, roles: readonly string[]): Promise<Written> {
    const address = normalisedEmail(input.email);
    checkPassword("password", input.password, address, { minLength: this.rules.get().passwordMinLength });
    // The unique index decides under concurrency; this spares the hashing in the common case.
    if ((await this.users.idOfEmail(address)) !== undefined) throw new EmailAlreadyRegistered(address);
    const user = User.register(
      {
        id: this.ids.next(),
        email: address,
        givenName: input.givenName,
        familyName: input.familyName,
        roles,
      },
      this.clock.now(),
    );
    const hash = await this.hasher.hash(input.password);
    await this.unitOfWork.run(eventMetadata(context), async () => {
      await this.users.save(user);
      await this.credentials.setPasswordHash(user.id, hash);
    });
    return { id: user.id, version: user.version };
  }

  /** Config defines them: AUTH__DEFAULT_ROLES must name roles of AUTH__ROLE_PERMISSIONS. */
  defaultRoles(): readonly string[] {
    return this.rules.get().defaultRoles;
  }

  /** Roles an administrator chose, refused unless the live role configuration defines each. */
  chosenRoles(roles: readonly string[]): readonly string[] {
    return definedRoles(roles, this.rolePolicy);
  }
}

export class RegisterUserHandler implements Handler<RegisterUser> {
  readonly requires = PUBLIC;
  readonly ownsTransaction = true;
  private readonly opening: AccountOpening;

  constructor(...dependencies: ConstructorParameters<typeof AccountOpening>) {
    this.opening = new AccountOpening(...dependencies);
  }

  handle({ context, input }: RegisterUser): Promise<Written> {
    return this.opening.open(context, input, this.opening.defaultRoles());
  }
}

export class CreateUserHandler implements Handler<CreateUser> {
  readonly requires = requiresPermission(USER_MANAGE);
  readonly ownsTransaction = true;
  private readonly opening: AccountOpening;

  constructor(...dependencies: ConstructorParameters<typeof AccountOpening>) {
    this.opening = new AccountOpening(...dependencies);
  }

  handle({ context, input }: CreateUser): Promise<Written> {
    return this.opening.open(context, input, this.opening.chosenRoles(input.roles));
  }
}
