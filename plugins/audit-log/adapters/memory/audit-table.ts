import type { TableDefinition } from "../../../../src/adapters/memory/memory-database.js";
import type { AuditEntry } from "../../domain/audit-entry.js";

/** Audit entries, shared by the memory trail (write side) and read model (query side). */
export const auditTable: TableDefinition<AuditEntry> = { name: "audit_log" };
