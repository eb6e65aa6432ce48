import type { Behaviour } from "./behaviour.js";
import type { Principal } from "./execution-context.js";
import type { Handler, Message } from "./message.js";
import { Refusal } from "./refusal.js";
import type { Requirement } from "./requirement.js";

/**
 * No credentials (`presented` false), or credentials that identify no one: an invalid, expired or
 * revoked token or key (`presented` true). HTTP answers 401 either way and tells them apart in
 * WWW-Authenticate, so a client knows whether to sign in or to refresh.
 */
export class Unauthenticated extends Refusal {
  readonly code = "UNAUTHENTICATED";

  constructor(
    message = "authentication is required",
    readonly presented = false,
  ) {
    super(message);
  }
}

/** The principal is known but may not do this: HTTP answers 403. */
export class Forbidden extends Refusal {
  readonly code = "FORBIDDEN";

  constructor(
    message = "you do not have permission to do this",
    /** The permission that was missing, when one would have sufficed. */
    readonly permission?: string,
  ) {
    super(message);
  }
}

/** Whether the principal holds the permission; the system principal holds every one. */
export function holds(principal: Principal, permission: string): boolean {
  if (principal.kind === "system") return true;
  if (principal.kind === "user" || principal.kind === "apiKey") return principal.permissions.has(permission);
  return false;
}

/** Throws Unauthenticated or Forbidden unless the principal meets the requirement. */
export function authorize<TMessage extends Message<unknown>>(
  requirement: Requirement<TMessage>,
  message: TMessage,
): void {
  const { principal } = message.context;
  if (requirement.kind === "public" || principal.kind === "system") return;
  if (principal.kind === "anonymous") throw new Unauthenticated();
  switch (requirement.kind) {
    case "authenticated":
      return;
    case "user":
      if (principal.kind !== "user") throw new Forbidden("this needs a signed-in user, not an API key");
      return;
    case "permission":
      if (!holds(principal, requirement.permission)) throw missing(requirement.permission);
      return;
    case "self":
      if (principal.kind !== "user" || principal.userId !== requirement.owner(message)) {
        throw new Forbidden("only the account itself, signed in, may do this");
      }
      return;
    case "ownerOr":
      // Ownership speaks for a signed-in user only: an API key does exactly what its permissions
      // say, so a key with none is read-only nowhere and can change nothing, even its owner's.
      if (principal.kind === "user" && principal.userId === requirement.owner(message)) return;
      if (!holds(principal, requirement.permission)) throw missing(requirement.permission);
      return;
  }
}

function missing(permission: string): Forbidden {
  return new Forbidden(`this needs the ${permission} permission`, permission);
}

/**
 * Checks each message against its handler's requirement before anything else runs, so a refused
 * command never opens a transaction.
 */
export class AuthorizationBehaviour implements Behaviour {
  async handle<TResult>(
    message: Message<TResult>,
    next: () => Promise<TResult>,
    handler: Handler<Message<TResult>>,
  ): Promise<TResult> {
    authorize(handler.requires as Requirement<Message<TResult>>, message);
    return next();
  }
}
