import { InvalidValue } from "../../domain/shared/domain-error.js";
import { type Email, email as normalisedEmail } from "../../domain/user/email.js";
import type { PasswordHasher } from "../../ports/password-hasher.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";
import type { Credentials } from "../../ports/user/credentials.js";
import type { UserReadModel } from "../../ports/user/user-read-model.js";
import type { UserRepository } from "../../ports/user/user-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { PUBLIC } from "../shared/requirement.js";
import { eventMetadata } from "../shared/unit-of-work-behaviour.js";
import { InvalidCredentials } from "./auth-errors.js";
import type { Sessions, TokenGrant } from "./sessions.js";

/** OAuth2 resource owner password grant: e-mail and password for an access and a refresh token. */
export class SignInWithPassword extends Command<TokenGrant> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly username: string;
      readonly password: string;
      readonly scopes: readonly string[];
    },
  ) {
    super(context);
  }
}

/**
 * Every refusal is the same InvalidCredentials, and an unknown address costs a hash verification
 * too, so neither the answer nor its timing tells which addresses have accounts. A hash made with
 * outdated argon2 parameters is replaced while the plain password is at hand.
 */
export class SignInWithPasswordHandler implements Handler<SignInWithPassword> {
  readonly requires = PUBLIC;
  readonly ownsTransaction = true;
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly accounts: UserReadModel,
    private readonly credentials: Credentials,
    private readonly hasher: PasswordHasher,
    private readonly sessions: Sessions,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async handle({ context, input }: SignInWithPassword): Promise<TokenGrant> {
    const userId = await this.idOf(input.username);
    const stored = userId === undefined ? undefined : await this.credentials.passwordHash(userId);
    if (userId === undefined || stored === undefined) {
      await this.hasher.verify(await this.decoyHash(), input.password);
      throw new InvalidCredentials();
    }
    if (!(await this.hasher.verify(stored, input.password))) throw new InvalidCredentials();
    const account = await this.accounts.get(userId);
    if (account === undefined || !account.active) throw new InvalidCredentials();
    const scopes = this.sessions.grantable(account, input.scopes);
    const rehash = this.hasher.needsRehash(stored) ? await this.hasher.hash(input.password) : undefined;
    return this.unitOfWork.run(eventMetadata(context), async () => {
      if (rehash !== undefined) await this.credentials.setPasswordHash(userId, rehash);
      return this.sessions.issue(account, scopes);
    });
  }

  /**
   * What is not an address at all gets the same answer as an unknown one. Nothing else does: a
   * database that cannot be asked is an outage (503), and calling the account unknown would tell its
   * owner the password is wrong and count the attempt against them.
   */
  private async idOf(username: string): Promise<string | undefined> {
    let address: Email;
    try {
      address = normalisedEmail(username);
    } catch (error) {
      if (error instanceof InvalidValue) return undefined;
      throw error;
    }
    return this.users.idOfEmail(address);
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= this.hasher.hash("decoy password that matches no input: it only spends the time");
    return this.decoy;
  }
}
