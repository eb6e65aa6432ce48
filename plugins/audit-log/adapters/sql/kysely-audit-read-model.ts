import { type Kysely, type Selectable, sql } from "kysely";
import type { Database } from "../../../../src/adapters/persistence/kysely/database.js";
import { fetchPage } from "../../../../src/adapters/persistence/kysely/paged-query.js";
import type { Page } from "../../../../src/ports/page.js";
import type { AuditEntry } from "../../domain/audit-entry.js";
import type { AuditCriteria, AuditReadModel } from "../../ports/audit-read-model.js";
import type { AuditLogTable } from "./audit-tables.js";

/** Query side; `db` is the read replica when one is configured. */
export class KyselyAuditReadModel implements AuditReadModel {
  constructor(private readonly db: Kysely<Database>) {}

  async list(criteria: AuditCriteria): Promise<Page<AuditEntry>> {
    let filtered = this.db.selectFrom("audit_log");
    if (criteria.principal !== undefined) filtered = filtered.where("principal", "=", criteria.principal);
    if (criteria.message !== undefined) filtered = filtered.where("message", "=", criteria.message);
    return fetchPage(
      filtered,
      sql`recorded_at`,
      { ...criteria, sort: { direction: criteria.order } },
      entryOf,
    );
  }
}

function entryOf(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    message: row.message,
    principal: row.principal,
    correlationId: row.correlation_id,
    aggregateId: row.aggregate_id ?? undefined,
    recordedAt: row.recorded_at.toISOString(),
  };
}
