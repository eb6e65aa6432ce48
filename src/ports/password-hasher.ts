import { token } from "./token.js";

/**
 * One-way password hashing. Hashes are self-describing strings (they carry
 * their algorithm and parameters), so the stored value alone is enough to
 * verify a password and to tell whether it was made with outdated settings.
 */
export interface PasswordHasher {
  /** A fresh salted hash of `plain`; two calls with the same input differ. */
  hash(plain: string): Promise<string>;
  /**
   * Whether `plain` matches `hash`. Resolves to false, never rejects, for a
   * wrong password and for a malformed or foreign hash: a stored value may be
   * corrupted or attacker-supplied, and neither may become a server error.
   */
  verify(hash: string, plain: string): Promise<boolean>;
  /**
   * Whether `hash` was made with another algorithm or other parameters than
   * the configured ones, so that a successful login should store a new hash.
   */
  needsRehash(hash: string): boolean;
}
export const PasswordHasher = token<PasswordHasher>("PasswordHasher");
