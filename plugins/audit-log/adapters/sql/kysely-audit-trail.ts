import type { TransactionScope } from "../../../../src/adapters/persistence/kysely/transaction-scope.js";
import type { AuditEntry } from "../../domain/audit-entry.js";
import type { AuditTrail } from "../../ports/audit-trail.js";

export class KyselyAuditTrail implements AuditTrail {
  constructor(private readonly scope: TransactionScope) {}

  /** In the open unit of work's transaction: the entry commits with the command, or not at all. */
  async record(entry: AuditEntry): Promise<void> {
    await this.scope
      .current()
      .trx.insertInto("audit_log")
      .values({
        id: entry.id,
        message: entry.message,
        principal: entry.principal,
        correlation_id: entry.correlationId,
        aggregate_id: entry.aggregateId ?? null,
        recorded_at: new Date(entry.recordedAt),
      })
      .execute();
  }
}
