import * as t from "io-ts";
import {
  integerFromString,
  isoDateTime,
  object,
  oneOf,
  optional,
  strictQuery,
  text,
} from "../../../../src/adapters/http/codecs.js";
import { pageCodec, presentPage } from "../../../../src/adapters/http/paging.js";
import { type RouteDefinition, route } from "../../../../src/adapters/http/route.js";
import {
  DEFAULT_AUDIT_PAGE_SIZE,
  ListAuditEntries,
  MAX_AUDIT_PAGE_SIZE,
} from "../../application/list-audit-entries.js";
import type { AuditEntry } from "../../domain/audit-entry.js";
import type { AuditCriteria } from "../../ports/audit-read-model.js";

export const AuditListQuery = strictQuery({
  page: optional(integerFromString(1, 1_000_000)),
  page_size: optional(integerFromString(1, MAX_AUDIT_PAGE_SIZE)),
  principal: optional(text(1, 200)),
  message: optional(text(1, 200)),
  order: optional(oneOf(["asc", "desc"])),
});

const AuditEntryV1 = object(
  {
    id: t.string,
    message: t.string,
    principal: t.string,
    correlation_id: t.string,
    aggregate_id: optional(t.string),
    recorded_at: isoDateTime,
  },
  "AuditEntry",
);

const AuditPage = pageCodec(AuditEntryV1, "AuditEntryPage");

export function toAuditCriteria(query: t.TypeOf<typeof AuditListQuery>): AuditCriteria {
  return {
    ...(query.principal === undefined ? {} : { principal: query.principal }),
    ...(query.message === undefined ? {} : { message: query.message }),
    order: query.order ?? "desc",
    page: query.page ?? 1,
    pageSize: query.page_size ?? DEFAULT_AUDIT_PAGE_SIZE,
  };
}

function present(entry: AuditEntry): t.TypeOf<typeof AuditEntryV1> {
  return {
    id: entry.id,
    message: entry.message,
    principal: entry.principal,
    correlation_id: entry.correlationId,
    aggregate_id: entry.aggregateId,
    recorded_at: entry.recordedAt,
  };
}

export const auditRoutes: RouteDefinition[] = [
  route({
    method: "GET",
    path: "/audit",
    summary:
      "The audit log: every command that succeeded, newest first, filtered by principal and command, paged (audit:read)",
    tags: ["audit"],
    dispatches: ListAuditEntries,
    query: AuditListQuery,
    response: AuditPage,
    message: "audit entries listed",
    handle: async ({ query }, { queries, context }) => {
      const criteria = toAuditCriteria(query);
      return presentPage(await queries.dispatch(new ListAuditEntries(context, criteria)), criteria, present);
    },
  }),
];
