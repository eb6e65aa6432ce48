import type { ColumnType } from "kysely";

declare module "../../persistence/kysely/database.js" {
  interface Database {
    refresh_tokens: RefreshTokensTable;
    api_keys: ApiKeysTable;
  }
}

export interface RefreshTokensTable {
  id: string;
  family_id: string;
  user_id: string;
  secret_hash: string;
  scopes: string[];
  created_at: ColumnType<Date, Date, never>;
  expires_at: ColumnType<Date, Date, never>;
  rotated_at: ColumnType<Date | null, Date | null | undefined, Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date>;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  permissions: string[];
  created_at: ColumnType<Date, Date, never>;
  expires_at: ColumnType<Date | null, Date | null | undefined, never>;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date>;
}
