/** One command that succeeded, as the audit log keeps it. */
export interface AuditEntry {
  readonly id: string;
  /** The command's name: `CreateProduct`. */
  readonly message: string;
  /** Who sent it, as event metadata names principals: `user:<id>`, `apiKey:<id>`, `system:<name>`, `anonymous`. */
  readonly principal: string;
  /** Ties it to the request (or job) that sent it, and to the events and log lines of that request. */
  readonly correlationId: string;
  /** The aggregate it wrote, when its result names one (a write returns its aggregate's id). */
  readonly aggregateId: string | undefined;
  /** When it succeeded, ISO 8601. */
  readonly recordedAt: string;
}
