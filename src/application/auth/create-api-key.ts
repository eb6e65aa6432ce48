import { InvalidValue } from "../../domain/shared/domain-error.js";
import { name as checkedName } from "../../domain/shared/name.js";
import type { ApiKeys } from "../../ports/auth/api-keys.js";
import type { Clock } from "../../ports/clock.js";
import type { IdGenerator } from "../../ports/id-generator.js";
import type { OpaqueTokens } from "../../ports/opaque-tokens.js";
import { Forbidden } from "../shared/authorization.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import type { PermissionCatalog } from "../shared/permissions.js";
import { selfOnly } from "../shared/requirement.js";
import { composeApiKey } from "./api-key-format.js";
import { type ApiKeyView, apiKeyView } from "./api-key-view.js";

export interface CreatedApiKey extends ApiKeyView {
  /** The whole key: returned this once, stored only as a hash. */
  readonly key: string;
}

export class CreateApiKey extends Command<CreatedApiKey> {
  constructor(
    context: ExecutionContext,
    readonly input: {
      readonly userId: string;
      readonly name: string;
      readonly permissions: readonly string[];
      readonly expiresAt?: Date;
    },
  ) {
    super(context);
  }
}

/**
 * A signed-in user (not another key) mints a key for themselves, with some of the permissions they
 * hold now. The key also never outlives its owner's rights: each use is checked against the account.
 */
export class CreateApiKeyHandler implements Handler<CreateApiKey> {
  readonly requires = selfOnly((command: CreateApiKey) => command.input.userId);

  constructor(
    private readonly apiKeys: ApiKeys,
    private readonly secrets: OpaqueTokens,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly permissions: PermissionCatalog,
  ) {}

  async handle({ context, input }: CreateApiKey): Promise<CreatedApiKey> {
    const { principal } = context;
    const unknown = input.permissions.filter((permission) => !this.permissions.has(permission));
    if (unknown.length > 0)
      throw new InvalidValue("permissions", `unknown permissions: ${unknown.join(", ")}`);
    const held = principal.kind === "user" ? principal.permissions : new Set<string>();
    const beyond = input.permissions.filter((permission) => !held.has(permission));
    if (beyond.length > 0)
      throw new Forbidden(`a key cannot grant what you do not hold: ${beyond.join(", ")}`);
    const now = this.clock.now();
    if (input.expiresAt !== undefined && input.expiresAt.getTime() <= now.getTime()) {
      throw new InvalidValue("expiresAt", "expiresAt must be in the future");
    }
    const secret = this.secrets.generate();
    const record = {
      id: this.ids.next(),
      userId: input.userId,
      name: checkedName("name", input.name),
      prefix: this.secrets.publicId(),
      secretHash: secret.hash,
      permissions: [...new Set(input.permissions)].sort(),
      createdAt: now,
      ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
    };
    await this.apiKeys.add(record);
    return { ...apiKeyView(record), key: composeApiKey(record.prefix, secret.secret) };
  }
}
