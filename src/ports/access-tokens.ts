import { token } from "./token.js";

/** What an access token says about its bearer. */
export interface AccessTokenClaims {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
}

export interface IssuedToken {
  readonly token: string;
  /** Lifetime in seconds, as OAuth's `expires_in`. */
  readonly expiresIn: number;
  readonly tokenId: string;
}

export interface VerifiedAccessToken extends AccessTokenClaims {
  readonly tokenId: string;
  readonly expiresAt: Date;
}

/** A JSON Web Key Set: only public key members, safe to publish. */
export interface PublicKeySet {
  readonly keys: readonly Record<string, unknown>[];
}

export interface AccessTokens {
  issue(claims: AccessTokenClaims): Promise<IssuedToken>;
  /** Resolves to the token's claims, or rejects with {@link InvalidAccessToken}. */
  verify(token: string): Promise<VerifiedAccessToken>;
  /** The keys that verify tokens, for `/.well-known/jwks.json`; undefined when tokens use a shared secret. */
  jwks(): Promise<PublicKeySet | undefined>;
}
export const AccessTokens = token<AccessTokens>("AccessTokens");

export type InvalidAccessTokenReason =
  | "malformed"
  | "algorithm"
  | "signature"
  | "expired"
  | "not-yet-valid"
  | "audience"
  | "issuer"
  | "claims";

/**
 * A presented token is not acceptable. The reason is for logs and metrics; a client gets only
 * "invalid_token", so a caller probing with forged tokens learns nothing about which check failed.
 */
export class InvalidAccessToken extends Error {
  readonly reason: InvalidAccessTokenReason;

  constructor(reason: InvalidAccessTokenReason, options?: { readonly cause?: unknown }) {
    super(`Invalid access token (${reason})`, options);
    this.name = "InvalidAccessToken";
    this.reason = reason;
  }
}
