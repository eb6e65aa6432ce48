import { User } from "../../../domain/user/user.js";
import type { UserRepository } from "../../../ports/user/user-repository.js";
import type { MemoryDatabase } from "../../memory/memory-database.js";
import { usersTable } from "./users-table.js";

export class MemoryUserRepository implements UserRepository {
  constructor(private readonly db: MemoryDatabase) {}

  async get(id: string): Promise<User | undefined> {
    const row = this.db.read(usersTable, id);
    return row === undefined ? undefined : User.fromSnapshot(row.value, row.version);
  }

  async idOfEmail(email: string): Promise<string | undefined> {
    return this.db.findUnique(usersTable, "email", email);
  }

  async save(user: User): Promise<void> {
    if (user.pendingEvents.length === 0) return;
    this.db.write(
      usersTable,
      user.id,
      user.persistedVersion,
      { version: user.version, value: user.snapshot() },
      user.pendingEvents,
    );
    user.markPersisted();
  }
}
