/**
 * Who is acting. Authentication (an HTTP adapter) turns credentials into one of these; the
 * authorization behaviour judges every command and query by it.
 * - `user`: a person signed in with an access token. `permissions` are what their roles grant now,
 *   narrowed to the token's scope when the token was issued for a narrower scope.
 * - `apiKey`: a key a user created, acting for that user with (at most) the key's permissions.
 * - `system`: keel itself (subscribers, replay); trusted, never built from a request.
 */
export type Principal =
  | { readonly kind: "anonymous" }
  | { readonly kind: "system"; readonly name: string }
  | {
      readonly kind: "user";
      readonly userId: string;
      readonly roles: readonly string[];
      readonly permissions: ReadonlySet<string>;
    }
  | {
      readonly kind: "apiKey";
      readonly keyId: string;
      readonly userId: string;
      readonly permissions: ReadonlySet<string>;
    };

export const ANONYMOUS: Principal = { kind: "anonymous" };

/** How a principal appears in logs and in event metadata: never a credential, only ids. */
export function describePrincipal(principal: Principal): string {
  switch (principal.kind) {
    case "anonymous":
      return "anonymous";
    case "system":
      return `system:${principal.name}`;
    case "user":
      return `user:${principal.userId}`;
    case "apiKey":
      return `apiKey:${principal.keyId}`;
  }
}

/** The account a principal acts for, if any: a user, or the user who owns the API key. */
export function actingUserId(principal: Principal): string | undefined {
  return principal.kind === "user" || principal.kind === "apiKey" ? principal.userId : undefined;
}

/** Travels with every command and query: the principal for policies, ids to correlate logs and events. */
export interface ExecutionContext {
  readonly principal: Principal;
  /** Ties together everything one request or job caused (the HTTP request id, for instance). */
  readonly correlationId: string;
  /** The message or event that directly caused this one, when there is one. */
  readonly causationId?: string;
}
