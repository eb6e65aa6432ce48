import type { ApiKeys } from "../../ports/auth/api-keys.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { ownerOr } from "../shared/requirement.js";
import { USER_READ_ANY } from "../user/user-permissions.js";
import { type ApiKeyView, apiKeyView } from "./api-key-view.js";

export class ListApiKeys extends Query<readonly ApiKeyView[]> {
  constructor(
    context: ExecutionContext,
    readonly userId: string,
  ) {
    super(context);
  }
}

/** One's own keys (revoked ones too, newest first), or anyone's with user:read:any. */
export class ListApiKeysHandler implements Handler<ListApiKeys> {
  readonly requires = ownerOr(USER_READ_ANY, (query: ListApiKeys) => query.userId);

  constructor(private readonly apiKeys: ApiKeys) {}

  async handle({ userId }: ListApiKeys): Promise<readonly ApiKeyView[]> {
    return (await this.apiKeys.listOfUser(userId)).map(apiKeyView);
  }
}
