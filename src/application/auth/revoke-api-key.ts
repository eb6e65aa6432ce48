import type { ApiKeys } from "../../ports/auth/api-keys.js";
import type { Clock } from "../../ports/clock.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { ownerOr } from "../shared/requirement.js";
import { USER_MANAGE } from "../user/user-permissions.js";

export class RevokeApiKey extends Command<void> {
  constructor(
    context: ExecutionContext,
    readonly input: { readonly userId: string; readonly keyId: string },
  ) {
    super(context);
  }
}

/** One's own key, or anyone's with user:manage. Revoking twice is harmless. */
export class RevokeApiKeyHandler implements Handler<RevokeApiKey> {
  readonly requires = ownerOr(USER_MANAGE, (command: RevokeApiKey) => command.input.userId);

  constructor(
    private readonly apiKeys: ApiKeys,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: RevokeApiKey): Promise<void> {
    const key = await this.apiKeys.get(input.keyId);
    // Another account's key is reported as absent: its existence is not the caller's business.
    if (key === undefined || key.userId !== input.userId) throw new NotFound("api key", input.keyId);
    await this.apiKeys.revoke(key.id, this.clock.now());
  }
}
