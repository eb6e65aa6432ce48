import type { ExecutionContext } from "../../../src/application/shared/execution-context.js";
import { type Handler, Query } from "../../../src/application/shared/message.js";
import { requiresPermission } from "../../../src/application/shared/requirement.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import type { Page } from "../../../src/ports/page.js";
import type { AuditEntry } from "../domain/audit-entry.js";
import type { AuditCriteria, AuditReadModel } from "../ports/audit-read-model.js";
import { AUDIT_READ } from "./audit-permissions.js";

/** Pages are bounded so that no request can ask for the whole log at once. */
export const MAX_AUDIT_PAGE_SIZE = 100;
export const DEFAULT_AUDIT_PAGE_SIZE = 20;

export class ListAuditEntries extends Query<Page<AuditEntry>> {
  constructor(
    context: ExecutionContext,
    readonly criteria: AuditCriteria,
  ) {
    super(context);
  }
}

export class ListAuditEntriesHandler implements Handler<ListAuditEntries> {
  readonly requires = requiresPermission(AUDIT_READ);

  constructor(private readonly entries: AuditReadModel) {}

  async handle({ criteria }: ListAuditEntries): Promise<Page<AuditEntry>> {
    if (!Number.isSafeInteger(criteria.page) || criteria.page < 1) {
      throw new InvalidValue("page", "page must be a whole number of at least 1");
    }
    if (
      !Number.isSafeInteger(criteria.pageSize) ||
      criteria.pageSize < 1 ||
      criteria.pageSize > MAX_AUDIT_PAGE_SIZE
    ) {
      throw new InvalidValue("pageSize", `page size must be between 1 and ${MAX_AUDIT_PAGE_SIZE}`);
    }
    return this.entries.list(criteria);
  }
}
