import * as assert from "uvu/assert";
import { MemoryAuditReadModel } from "../../../plugins/audit-log/adapters/memory/memory-audit-read-model.js";
import {
  ListAuditEntries,
  ListAuditEntriesHandler,
  MAX_AUDIT_PAGE_SIZE,
} from "../../../plugins/audit-log/application/list-audit-entries.js";
import { MemoryDatabase } from "../../../src/adapters/memory/memory-database.js";
import type { ExecutionContext } from "../../../src/application/shared/execution-context.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { rejects } from "../../support/rejects.js";
import { test } from "../../support/uvu.js";

/** Listing is bounded for every caller, not only HTTP's (whose codecs refuse the same first). */

const context: ExecutionContext = { principal: { kind: "system", name: "test" }, correlationId: "list" };
const handler = new ListAuditEntriesHandler(new MemoryAuditReadModel(new MemoryDatabase(() => "id")));
const listing = (page: number, pageSize: number) =>
  handler.handle(new ListAuditEntries(context, { order: "desc", page, pageSize }));

test("given a page before the first, then the listing is refused naming the page", async () => {
  const error = await rejects(() => listing(0, 10), InvalidValue);

  assert.is(error.field, "page");
});

test("given a page size above the bound or below one, then the listing is refused naming the size", async () => {
  for (const size of [MAX_AUDIT_PAGE_SIZE + 1, 0, 1.5]) {
    const error = await rejects(() => listing(1, size), InvalidValue);
    assert.is(error.field, "pageSize", String(size));
  }
});

test("given bounds that hold, then the page is listed", async () => {
  assert.equal(await listing(1, MAX_AUDIT_PAGE_SIZE), { items: [], total: 0 });
});

test("given the handler, then only holders of audit:read may list", () => {
  assert.equal(handler.requires, { kind: "permission", permission: "audit:read" });
});

test.run();
