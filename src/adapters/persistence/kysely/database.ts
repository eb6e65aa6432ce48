import type { ColumnType, Generated, JSONColumnType } from "kysely";
import type { EventMetadata } from "../../../ports/event-log.js";
import type { StoredResponse } from "../../../ports/idempotency-keys.js";

/** int8 columns arrive as strings (pg's parsers, on PGlite too) and compare with numbers; values fit a double. */
export type Int8 = ColumnType<string | number, number, number>;

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

/**
 * The tables Kysely knows, for type-checking queries. The foundation's are here; each context adds
 * its own by declaration merging, in its adapters' folder (`declare module ".../database.js" {
 * interface Database { invoices: InvoicesTable } }`), so no context is named in this file.
 */
export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  fingerprint: string;
  claimed_at: ColumnType<Date, Date, Date>;
  expires_at: ColumnType<Date, Date, Date>;
  /** The answer, once there is one (pg parses jsonb on read; it is written as JSON text). */
  response: ColumnType<StoredResponse | null, string | null, string | null>;
}

export interface Database {
  events: EventsTable;
  relay_checkpoints: RelayCheckpointsTable;
  inbox: InboxTable;
  idempotency_keys: IdempotencyKeysTable;
}
