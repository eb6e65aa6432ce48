import type { MemoryDatabase } from "../../../../src/adapters/memory/memory-database.js";
import type { AuditEntry } from "../../domain/audit-entry.js";
import type { AuditTrail } from "../../ports/audit-trail.js";
import { auditTable } from "./audit-table.js";

export class MemoryAuditTrail implements AuditTrail {
  constructor(private readonly db: MemoryDatabase) {}

  /** Staged in the unit of work; outside one it throws, as the SQL trail does. */
  async record(entry: AuditEntry): Promise<void> {
    this.db.write(auditTable, entry.id, 0, { version: 1, value: { ...entry } }, []);
  }
}
