import { token } from "./token.js";

/** A freshly generated secret and the hash under which it is stored. */
export interface GeneratedSecret {
  readonly secret: string;
  readonly hash: string;
}

/**
 * Random secrets for refresh tokens and API keys. They carry 256 bits of entropy, so a fast keyed
 * hash is enough to store them (a slow password hash protects low-entropy secrets only).
 */
export interface OpaqueTokens {
  generate(): GeneratedSecret;
  hashOf(secret: string): string;
  /** Compares two hashes in constant time. */
  sameHash(a: string, b: string): boolean;
  /** A short random public identifier (the lookup prefix of an API key). */
  publicId(): string;
}
export const OpaqueTokens = token<OpaqueTokens>("OpaqueTokens");
