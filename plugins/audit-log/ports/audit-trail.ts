import { token } from "../../../src/ports/token.js";
import type { AuditEntry } from "../domain/audit-entry.js";

/** Where audit entries are written: inside the open unit of work, like a repository's save. */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}
export const AuditTrail = token<AuditTrail>("audit-log.AuditTrail");
