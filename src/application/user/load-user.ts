import type { User } from "../../domain/user/user.js";
import type { UserRepository } from "../../ports/user/user-repository.js";
import { type ExpectedVersions, ensureExpectedVersion } from "../shared/expected-version.js";
import { NotFound } from "../shared/not-found.js";

/** The account a command changes, refused unless it is at a version the command expects (if any). */
export async function loadUser(
  users: UserRepository,
  id: string,
  expected?: ExpectedVersions,
): Promise<User> {
  const user = await users.get(id);
  if (user === undefined) throw new NotFound("user", id);
  ensureExpectedVersion("user", user, expected);
  return user;
}
