import { bindAdapter, bindQuery } from "../../src/bootstrap/modules/handler-registration.js";
import { definePlugin } from "../../src/bootstrap/plugins/plugin-manifest.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { Clock } from "../../src/ports/clock.js";
import { IdGenerator } from "../../src/ports/id-generator.js";
import { UnitOfWork } from "../../src/ports/unit-of-work.js";
import { auditRoutes } from "./adapters/http/audit-routes.js";
import { MemoryAuditReadModel } from "./adapters/memory/memory-audit-read-model.js";
import { MemoryAuditTrail } from "./adapters/memory/memory-audit-trail.js";
import * as auditLog from "./adapters/migrations/2026-12-01T0900-audit-log.js";
import { KyselyAuditReadModel } from "./adapters/sql/kysely-audit-read-model.js";
import { KyselyAuditTrail } from "./adapters/sql/kysely-audit-trail.js";
import { AUDIT_READ } from "./application/audit-permissions.js";
import { CommandAudit } from "./application/command-audit.js";
import { ListAuditEntries, ListAuditEntriesHandler } from "./application/list-audit-entries.js";
import { AuditReadModel } from "./ports/audit-read-model.js";
import { AuditTrail } from "./ports/audit-trail.js";

/**
 * The audit log: every command that succeeds is recorded (by a command-bus behaviour: see
 * application/command-audit.ts for why not an event subscriber) in its own table, and listed at
 * GET /api/v1/audit to holders of audit:read.
 */
export default definePlugin({
  name: "audit-log",
  version: "1.0.0",
  keelApi: "1.0",
  permissions: {
    [AUDIT_READ]: {
      description: "Read the audit log: every command, who sent it and when.",
      grantedTo: ["admin"],
    },
  },
  migrations: { "2026-12-01T0900-audit-log": auditLog },
  adapters: {
    memory: ({ container }) => {
      bindAdapter(container, AuditTrail, MemoryAuditTrail, [Tokens.MemoryDatabase]);
      bindAdapter(container, AuditReadModel, MemoryAuditReadModel, [Tokens.MemoryDatabase]);
    },
    sql: ({ container }) => {
      bindAdapter(container, AuditTrail, KyselyAuditTrail, [Tokens.TransactionScope]);
      bindAdapter(container, AuditReadModel, KyselyAuditReadModel, [Tokens.ReadDatabase]);
    },
  },
  bind: ({ container }) => {
    bindQuery(container, ListAuditEntries, ListAuditEntriesHandler, [AuditReadModel]);
    container
      .bind(Tokens.CommandBehaviours)
      .toResolvedValue(
        (trail: AuditTrail, unitOfWork: UnitOfWork, clock: Clock, ids: IdGenerator) =>
          new CommandAudit(trail, unitOfWork, clock, ids),
        [AuditTrail, UnitOfWork, Clock, IdGenerator],
      );
  },
  routes: { v1: auditRoutes },
});
