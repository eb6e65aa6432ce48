import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokens,
} from "../../../ports/auth/refresh-tokens.js";
import type { MemoryDatabase, TableDefinition } from "../../memory/memory-database.js";
import { standaloneWrite } from "../../memory/standalone-write.js";

const refreshTokensTable: TableDefinition<RefreshTokenRecord> = {
  name: "refresh_tokens",
  unique: { secretHash: (row) => row.secretHash },
};

/**
 * Rotation, revocation and purging lock the token before reading it, as the SQL store's conditional updates
 * do, so concurrent ones wait for each other instead of failing at commit.
 */
export class MemoryRefreshTokens implements RefreshTokens {
  constructor(private readonly db: MemoryDatabase) {}

  /** Staged in the unit of work; outside one it throws, as the SQL store does. */
  async add(token: NewRefreshToken): Promise<void> {
    this.db.write(refreshTokensTable, token.id, 0, { version: 1, value: structuredClone(token) }, []);
  }

  async findBySecretHash(secretHash: string): Promise<RefreshTokenRecord | undefined> {
    const id = this.db.findUnique(refreshTokensTable, "secretHash", secretHash);
    const row = id === undefined ? undefined : this.db.read(refreshTokensTable, id);
    return row === undefined ? undefined : structuredClone(row.value);
  }

  markRotated(id: string, at: Date): Promise<boolean> {
    return standaloneWrite(this.db, async () => {
      await this.db.lock(refreshTokensTable, id);
      const row = this.db.read(refreshTokensTable, id);
      if (row === undefined || row.value.rotatedAt !== undefined || row.value.revokedAt !== undefined) {
        return false;
      }
      this.update(id, row.version, { ...row.value, rotatedAt: new Date(at) });
      return true;
    });
  }

  revokeFamily(familyId: string, at: Date): Promise<number> {
    return this.revokeWhere((token) => token.familyId === familyId, at);
  }

  revokeAllOfUser(userId: string, at: Date): Promise<number> {
    return this.revokeWhere((token) => token.userId === userId, at);
  }

  purgeExpired(before: Date): Promise<number> {
    return standaloneWrite(this.db, async () => {
      const ids = [...this.db.rows(refreshTokensTable)]
        .filter((row) => row.value.expiresAt.getTime() < before.getTime())
        .map((row) => row.value.id);
      let purged = 0;
      for (const id of ids) {
        await this.db.lock(refreshTokensTable, id);
        const row = this.db.read(refreshTokensTable, id);
        if (row === undefined || row.value.expiresAt.getTime() >= before.getTime()) continue;
        this.db.delete(refreshTokensTable, id, row.version);
        purged++;
      }
      return purged;
    });
  }

  private revokeWhere(matches: (token: RefreshTokenRecord) => boolean, at: Date): Promise<number> {
    return standaloneWrite(this.db, async () => {
      const ids = [...this.db.rows(refreshTokensTable)]
        .filter((row) => matches(row.value))
        .map((row) => row.value.id);
      let revoked = 0;
      for (const id of ids) {
        await this.db.lock(refreshTokensTable, id);
        const row = this.db.read(refreshTokensTable, id);
        if (row === undefined || row.value.revokedAt !== undefined) continue;
        this.update(id, row.version, { ...row.value, revokedAt: new Date(at) });
        revoked++;
      }
      return revoked;
    });
  }

  private update(id: string, version: number, token: RefreshTokenRecord): void {
    this.db.write(refreshTokensTable, id, version, { version: version + 1, value: token }, []);
  }
}
