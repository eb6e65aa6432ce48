/**
 * What a handler demands of the principal. Every handler declares one, so a new handler cannot
 * forget to: the type system asks for it, and the authorization behaviour enforces it.
 * - `public`: anyone, signed in or not (product reads, registration, the token endpoint).
 * - `authenticated`: any user or API key.
 * - `user`: a signed-in user, not an API key (minting API keys, changing one's password).
 * - `permission`: a user or key holding it.
 * - `ownerOr`: the account the message is about (signed in itself), or anyone holding the permission;
 *   an API key needs the permission even on its owner's account.
 * - `self`: only the account the message is about, signed in itself (not through an API key).
 */
export type Requirement<TMessage> =
  | PlainRequirement
  | OwnershipRequirement<TMessage>
  | SelfRequirement<TMessage>;

/** A requirement that does not look into the message. */
export type PlainRequirement =
  | { readonly kind: "public" }
  | { readonly kind: "authenticated" }
  | { readonly kind: "user" }
  | { readonly kind: "permission"; readonly permission: string };

export interface OwnershipRequirement<TMessage> {
  readonly kind: "ownerOr";
  readonly permission: string;
  /** The id of the account the message concerns. */
  readonly owner: (message: TMessage) => string;
}

export interface SelfRequirement<TMessage> {
  readonly kind: "self";
  readonly owner: (message: TMessage) => string;
}

export const PUBLIC: PlainRequirement = { kind: "public" };
export const AUTHENTICATED: PlainRequirement = { kind: "authenticated" };
export const SIGNED_IN_USER: PlainRequirement = { kind: "user" };

export function requiresPermission(permission: string): PlainRequirement {
  return { kind: "permission", permission };
}

export function ownerOr<TMessage>(
  permission: string,
  owner: (message: TMessage) => string,
): Requirement<TMessage> {
  return { kind: "ownerOr", permission, owner };
}

export function selfOnly<TMessage>(owner: (message: TMessage) => string): SelfRequirement<TMessage> {
  return { kind: "self", owner };
}
