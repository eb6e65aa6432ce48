import type { ColumnType, Generated, JSONColumnType } from "kysely";
import type { EventMetadata } from "../../../ports/event-log.js";

/** int8 columns arrive as strings (pg's parsers, on PGlite too) and compare with numbers; values fit a double. */
type Int8 = ColumnType<string | number, number, number>;

export interface ProductsTable {
  id: string;
  name: string;
  sku: string;
  price_minor: Int8;
  currency: string;
  on_hand: number;
  reserved: number;
  version: number;
  created_at: ColumnType<Date, Date, Date>;
  updated_at: ColumnType<Date, Date, Date>;
}

export interface EventsTable {
  position: ColumnType<string, never, never>;
  id: string;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  /** xid8 of the writing transaction, set by the column default `pg_current_xact_id()`. */
  transaction_id: Generated<string>;
  type: string;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  metadata: JSONColumnType<EventMetadata, string, string>;
  occurred_at: ColumnType<Date, Date, never>;
}

export interface RelayCheckpointsTable {
  name: string;
  transaction_id: string;
  position: Int8;
  updated_at: Generated<Date>;
}

export interface InboxTable {
  subscriber: string;
  event_id: string;
  processed_at: Generated<Date>;
}

export interface ProductStockMovementsTable {
  event_id: string;
  product_id: string;
  version: number;
  kind: string;
  quantity: number;
  note: string;
  occurred_at: ColumnType<Date, Date, never>;
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

export interface Database {
  products: ProductsTable;
  events: EventsTable;
  relay_checkpoints: RelayCheckpointsTable;
  inbox: InboxTable;
  product_stock_movements: ProductStockMovementsTable;
  /** The shadow a replay fills before swapping it in for product_stock_movements. */
  product_stock_movements_rebuild: ProductStockMovementsTable;
  users: UsersTable;
  user_credentials: UserCredentialsTable;
  refresh_tokens: RefreshTokensTable;
  api_keys: ApiKeysTable;
}
