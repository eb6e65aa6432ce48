import type { User } from "../../domain/user/user.js";
import { token } from "../token.js";

/** Write side: loads and saves the User aggregate; saving appends its pending events to the log. */
export interface UserRepository {
  get(id: string): Promise<User | undefined>;
  /** Id of the account registered with this (normalised) e-mail, if any. */
  idOfEmail(email: string): Promise<string | undefined>;
  /**
   * Throws ConcurrencyConflict when the stored version moved past `user.persistedVersion`, and
   * EmailAlreadyRegistered when another account took the e-mail first (the store's unique index).
   */
  save(user: User): Promise<void>;
}
export const UserRepository = token<UserRepository>("UserRepository");
