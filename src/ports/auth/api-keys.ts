import { token } from "../token.js";

/**
 * An API key as stored. The key a client sends is `keel_<prefix>_<secret>`: the prefix is public and
 * finds the record, the secret is kept only as a hash and compared in constant time.
 */
export interface ApiKeyRecord {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly prefix: string;
  readonly secretHash: string;
  /** A subset of the creator's permissions when it was created. */
  readonly permissions: readonly string[];
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  readonly lastUsedAt?: Date;
  readonly revokedAt?: Date;
}

export type NewApiKey = Omit<ApiKeyRecord, "lastUsedAt" | "revokedAt">;

export interface ApiKeys {
  /** Writes inside a unit of work. */
  add(key: NewApiKey): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  findByPrefix(prefix: string): Promise<ApiKeyRecord | undefined>;
  /** The account's keys, revoked ones included, newest first. */
  listOfUser(userId: string): Promise<readonly ApiKeyRecord[]>;
  /** Revokes the key unless it already is; says whether it did. Writes inside a unit of work. */
  revoke(id: string, at: Date): Promise<boolean>;
  /**
   * Records a use. Called on every authenticated request outside any unit of work, so a store may
   * skip the write when the recorded time is less than a minute old.
   */
  touch(id: string, at: Date): Promise<void>;
}
export const ApiKeys = token<ApiKeys>("ApiKeys");
