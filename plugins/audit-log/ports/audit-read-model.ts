import type { Page } from "../../../src/ports/page.js";
import { token } from "../../../src/ports/token.js";
import type { AuditEntry } from "../domain/audit-entry.js";

export interface AuditCriteria {
  /** Only commands of this principal, exactly as recorded (`user:<id>`). */
  readonly principal?: string;
  /** Only commands of this name (`CreateProduct`). */
  readonly message?: string;
  /** By the time they were recorded; ties are broken by id, so pages are stable. */
  readonly order: "asc" | "desc";
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

/** Query side of the audit log. */
export interface AuditReadModel {
  list(criteria: AuditCriteria): Promise<Page<AuditEntry>>;
}
export const AuditReadModel = token<AuditReadModel>("audit-log.AuditReadModel");
