import type { ColumnType } from "kysely";

declare module "../../../../src/adapters/persistence/kysely/database.js" {
  interface Database {
    audit_log: AuditLogTable;
  }
}

export interface AuditLogTable {
  id: string;
  message: string;
  principal: string;
  correlation_id: string;
  aggregate_id: string | null;
  recorded_at: ColumnType<Date, Date, never>;
}
