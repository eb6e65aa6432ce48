import type { MemoryDatabase } from "../../../../src/adapters/memory/memory-database.js";
import { sortAndPage } from "../../../../src/adapters/memory/sort-and-page.js";
import type { Page } from "../../../../src/ports/page.js";
import type { AuditEntry } from "../../domain/audit-entry.js";
import type { AuditCriteria, AuditReadModel } from "../../ports/audit-read-model.js";
import { auditTable } from "./audit-table.js";

export class MemoryAuditReadModel implements AuditReadModel {
  constructor(private readonly db: MemoryDatabase) {}

  async list(criteria: AuditCriteria): Promise<Page<AuditEntry>> {
    const matching: AuditEntry[] = [];
    for (const { value } of this.db.rows(auditTable)) {
      if (criteria.principal !== undefined && value.principal !== criteria.principal) continue;
      if (criteria.message !== undefined && value.message !== criteria.message) continue;
      matching.push({ ...value });
    }
    return sortAndPage(matching, (entry) => entry.recordedAt, {
      ...criteria,
      sort: { direction: criteria.order },
    });
  }
}
