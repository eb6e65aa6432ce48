import type { Credentials } from "../../../ports/user/credentials.js";
import type { MemoryDatabase, TableDefinition } from "../../memory/memory-database.js";

const credentialsTable: TableDefinition<{ readonly userId: string; readonly passwordHash: string }> = {
  name: "user_credentials",
};

export class MemoryCredentials implements Credentials {
  constructor(private readonly db: MemoryDatabase) {}

  async passwordHash(userId: string): Promise<string | undefined> {
    return this.db.read(credentialsTable, userId)?.value.passwordHash;
  }

  /**
   * Staged in the unit of work, with the account change it belongs to. The row lock makes two
   * concurrent writers wait for each other and the last one win, as the SQL upsert does.
   */
  async setPasswordHash(userId: string, hash: string): Promise<void> {
    await this.db.lock(credentialsTable, userId);
    const version = this.db.read(credentialsTable, userId)?.version ?? 0;
    this.db.write(
      credentialsTable,
      userId,
      version,
      { version: version + 1, value: { userId, passwordHash: hash } },
      [],
    );
  }
}
