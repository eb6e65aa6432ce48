import type { User } from "../../domain/user/user.js";
import type { UserRepository } from "../../ports/user-repository.js";
import { NotFound } from "../shared/not-found.js";

export async function loadUser(users: UserRepository, id: string): Promise<User> {
  const user = await users.get(id);
  if (user === undefined) throw new NotFound("user", id);
  return user;
}
