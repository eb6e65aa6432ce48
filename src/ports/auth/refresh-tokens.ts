import { token } from "../token.js";

/**
 * A refresh token as stored: never its secret, only the secret's hash. Tokens issued from one login
 * form a family; each use rotates the token (the used one is marked, a new one added to the family).
 */
export interface RefreshTokenRecord {
  readonly id: string;
  readonly familyId: string;
  readonly userId: string;
  readonly secretHash: string;
  /** The scopes granted at login; empty means everything the account's roles grant. */
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** When it was exchanged for a new token; a second exchange is a reuse. */
  readonly rotatedAt?: Date;
  readonly revokedAt?: Date;
}

export type NewRefreshToken = Omit<RefreshTokenRecord, "rotatedAt" | "revokedAt">;

export interface RefreshTokens {
  /** Writes inside a unit of work. */
  add(token: NewRefreshToken): Promise<void>;
  findBySecretHash(secretHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Marks the token rotated if it is neither rotated nor revoked yet, atomically, and says whether
   * it did: of two concurrent uses of one token, exactly one wins, and the other is a reuse.
   */
  markRotated(id: string, at: Date): Promise<boolean>;
  /** Revokes every token of the family that is not revoked yet; returns how many. */
  revokeFamily(familyId: string, at: Date): Promise<number>;
  /** Revokes every live token of the account (password changed, account deactivated). */
  revokeAllOfUser(userId: string, at: Date): Promise<number>;
  /**
   * Deletes every token that expired before `before`, whatever its rotated or revoked state; returns
   * how many. An expired token is refused anyway, so deleting it changes no answer but one: a rotated
   * token replayed after its own expiry is then unknown instead of a reuse, and its family is not
   * revoked. The caller bounds that window by passing a cut-off some grace period in the past.
   */
  purgeExpired(before: Date): Promise<number>;
}
export const RefreshTokens = token<RefreshTokens>("RefreshTokens");
