/** Who is acting. Authentication (a later capability) adds user and API-key principals. */
export type Principal = { readonly kind: "anonymous" } | { readonly kind: "system"; readonly name: string };

export const ANONYMOUS: Principal = { kind: "anonymous" };

export function describePrincipal(principal: Principal): string {
  return principal.kind === "system" ? `system:${principal.name}` : principal.kind;
}

/** Travels with every command and query: the principal for policies, ids to correlate logs and events. */
export interface ExecutionContext {
  readonly principal: Principal;
  /** Ties together everything one request or job caused (the HTTP request id, for instance). */
  readonly correlationId: string;
  /** The message or event that directly caused this one, when there is one. */
  readonly causationId?: string;
}
