import { token } from "../token.js";

/**
 * Password hashes, kept apart from the User aggregate and its events: events are published and kept
 * forever, a hash must be neither. Writes happen inside a unit of work, with the account's change.
 */
export interface Credentials {
  /** The stored hash of the account's password, if it has one. */
  passwordHash(userId: string): Promise<string | undefined>;
  /** Stores (or replaces) the account's password hash. */
  setPasswordHash(userId: string, hash: string): Promise<void>;
}
export const Credentials = token<Credentials>("Credentials");
