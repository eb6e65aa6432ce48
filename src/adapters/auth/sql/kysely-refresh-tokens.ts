import type { Kysely, Selectable } from "kysely";
import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokens,
} from "../../../ports/auth/refresh-tokens.js";
import type { Database } from "../../persistence/kysely/database.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import type { RefreshTokensTable } from "./auth-tables.js";

export class KyselyRefreshTokens implements RefreshTokens {
  constructor(private readonly scope: TransactionScope) {}

  async add(token: NewRefreshToken): Promise<void> {
    await this.scope
      .current()
      .trx.insertInto("refresh_tokens")
      .values({
        id: token.id,
        family_id: token.familyId,
        user_id: token.userId,
        secret_hash: token.secretHash,
        scopes: [...token.scopes],
        created_at: token.createdAt,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  async findBySecretHash(secretHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("refresh_tokens")
      .selectAll()
      .where("secret_hash", "=", secretHash)
      .executeTakeFirst();
    return row === undefined ? undefined : refreshTokenRecord(row);
  }

  /**
   * One conditional update: of two concurrent uses, the second waits on the first's row lock, then
   * finds the token rotated and changes nothing.
   */
  async markRotated(id: string, at: Date): Promise<boolean> {
    const result = await this.writer()
      .updateTable("refresh_tokens")
      .set({ rotated_at: at })
      .where("id", "=", id)
      .where("rotated_at", "is", null)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    const result = await this.writer()
      .updateTable("refresh_tokens")
      .set({ revoked_at: at })
      .where("family_id", "=", familyId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async revokeAllOfUser(userId: string, at: Date): Promise<number> {
    const result = await this.writer()
      .updateTable("refresh_tokens")
      .set({ revoked_at: at })
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** One DELETE on the expiry index; a token being rotated concurrently is deleted once that commits. */
  async purgeExpired(before: Date): Promise<number> {
    const result = await this.writer()
      .deleteFrom("refresh_tokens")
      .where("expires_at", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * Rotation, revocation and purging stand alone (a detected reuse revokes the family even though the
   * request fails), so they join the unit of work when there is one, else run as one statement.
   */
  private writer(): Kysely<Database> {
    return this.scope.reader();
  }
}

function refreshTokenRecord(row: Selectable<RefreshTokensTable>): RefreshTokenRecord {
  return {
    id: row.id,
    familyId: row.family_id,
    userId: row.user_id,
    secretHash: row.secret_hash,
    scopes: row.scopes,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.rotated_at === null ? {} : { rotatedAt: row.rotated_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}
