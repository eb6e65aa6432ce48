import type { ColumnType } from "kysely";

declare module "../../persistence/kysely/database.js" {
  interface Database {
    users: UsersTable;
    user_credentials: UserCredentialsTable;
  }
}

export interface UsersTable {
  id: string;
  /** Normalised (trimmed, lower-case); unique. */
  email: string;
  given_name: string;
  family_name: string;
  /** Sorted, unique role names. */
  roles: string[];
  active: boolean;
  password_changed_at: ColumnType<Date, Date, Date>;
  version: number;
  created_at: ColumnType<Date, Date, Date>;
  updated_at: ColumnType<Date, Date, Date>;
}

export interface UserCredentialsTable {
  user_id: string;
  password_hash: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
