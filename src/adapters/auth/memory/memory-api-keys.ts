import type { ApiKeyRecord, ApiKeys, NewApiKey } from "../../../ports/auth/api-keys.js";
import type { MemoryDatabase, TableDefinition } from "../../memory/memory-database.js";
import { standaloneWrite } from "../../memory/standalone-write.js";

const apiKeysTable: TableDefinition<ApiKeyRecord> = {
  name: "api_keys",
  unique: { prefix: (row) => row.prefix },
};

/** A use is recorded at most once a minute: `touch` runs on every authenticated request. */
const TOUCH_INTERVAL_MS = 60_000;

/** Revocation and touch lock the key before reading it, as the SQL store's conditional updates do. */
export class MemoryApiKeys implements ApiKeys {
  constructor(private readonly db: MemoryDatabase) {}

  /** Staged in the unit of work; outside one it throws, as the SQL store does. */
  async add(key: NewApiKey): Promise<void> {
    this.db.write(apiKeysTable, key.id, 0, { version: 1, value: structuredClone(key) }, []);
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.db.read(apiKeysTable, id);
    return row === undefined ? undefined : structuredClone(row.value);
  }

  async findByPrefix(prefix: string): Promise<ApiKeyRecord | undefined> {
    const id = this.db.findUnique(apiKeysTable, "prefix", prefix);
    return id === undefined ? undefined : this.get(id);
  }

  async listOfUser(userId: string): Promise<readonly ApiKeyRecord[]> {
    return [...this.db.rows(apiKeysTable)]
      .map((row) => structuredClone(row.value))
      .filter((key) => key.userId === userId)
      .sort(
        (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      );
  }

  /** Staged in the unit of work; outside one it throws, as the SQL store does. */
  async revoke(id: string, at: Date): Promise<boolean> {
    await this.db.lock(apiKeysTable, id);
    const row = this.db.read(apiKeysTable, id);
    if (row === undefined || row.value.revokedAt !== undefined) return false;
    this.update(id, row.version, { ...row.value, revokedAt: new Date(at) });
    return true;
  }

  async touch(id: string, at: Date): Promise<void> {
    await standaloneWrite(this.db, async () => {
      await this.db.lock(apiKeysTable, id);
      const row = this.db.read(apiKeysTable, id);
      const last = row?.value.lastUsedAt;
      if (row === undefined || (last !== undefined && at.getTime() - last.getTime() < TOUCH_INTERVAL_MS))
        return;
      this.update(id, row.version, { ...row.value, lastUsedAt: new Date(at) });
    });
  }

  private update(id: string, version: number, key: ApiKeyRecord): void {
    this.db.write(apiKeysTable, id, version, { version: version + 1, value: key }, []);
  }
}
