import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import type { AuditEntry } from "../../../plugins/audit-log/domain/audit-entry.js";
import { AuditReadModel } from "../../../plugins/audit-log/ports/audit-read-model.js";
import { AuditTrail } from "../../../plugins/audit-log/ports/audit-trail.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";

/** The audit log's two ports, the same on every driver: what is recorded in a unit of work, and how it is listed. */

const meta = { correlationId: "audit-contract", principal: "system:test" };

/** An entry of `principal`, recorded `secondsIn` seconds into a fixed minute. */
function entry(principal: string, message: string, secondsIn: number, aggregateId?: string): AuditEntry {
  return {
    id: randomUUID(),
    message,
    principal,
    correlationId: `request-${secondsIn}`,
    aggregateId,
    recordedAt: new Date(Date.UTC(2026, 11, 1, 9, 0, secondsIn)).toISOString(),
  };
}

async function record(store: Store, ...entries: AuditEntry[]): Promise<void> {
  const trail = store.container.get<AuditTrail>(AuditTrail);
  await store.unitOfWork.run(meta, async () => {
    for (const each of entries) await trail.record(each);
  });
}

const list = (store: Store) => store.container.get<AuditReadModel>(AuditReadModel);

await contract(
  "AuditTrail and AuditReadModel",
  (it) => {
    it("entries are listed newest first or oldest first, paged, with the total, each as recorded", async (store) => {
      const principal = `user:${randomUUID()}`;
      const [first, second, third] = [
        entry(principal, "CreateProduct", 1, randomUUID()),
        entry(principal, "SignInWithPassword", 2),
        entry(principal, "AdjustStock", 3, randomUUID()),
      ];
      await record(store, second, third, first);

      const newest = await list(store).list({ principal, order: "desc", page: 1, pageSize: 2 });
      const rest = await list(store).list({ principal, order: "desc", page: 2, pageSize: 2 });
      const oldest = await list(store).list({ principal, order: "asc", page: 1, pageSize: 10 });

      assert.equal(newest, { items: [third, second], total: 3 });
      assert.equal(rest, { items: [first], total: 3 });
      assert.equal(oldest.items, [first, second, third]);
    });

    it("a filter by principal or by command matches exactly, and both together narrow further", async (store) => {
      const [alice, bob] = [`user:${randomUUID()}`, `apiKey:${randomUUID()}`];
      const message = `Rename${randomUUID().slice(0, 8)}`;
      await record(store, entry(alice, message, 1), entry(alice, "ChangePrice", 2), entry(bob, message, 3));
      const all = { order: "asc", page: 1, pageSize: 10 } as const;

      const byAlice = await list(store).list({ ...all, principal: alice });
      const byMessage = await list(store).list({ ...all, message });
      const both = await list(store).list({ ...all, principal: bob, message });
      const prefix = await list(store).list({ ...all, principal: alice.slice(0, 10) });

      assert.equal(
        byAlice.items.map((e) => e.message),
        [message, "ChangePrice"],
      );
      assert.equal(
        byMessage.items.map((e) => e.principal),
        [alice, bob],
      );
      assert.equal(
        both.items.map((e) => e.principal),
        [bob],
      );
      assert.is(prefix.total, 0, "a principal is matched whole, not as a prefix");
    });

    it("entries recorded at the same moment come in the order of their ids, the same on every page", async (store) => {
      const principal = `user:${randomUUID()}`;
      const same = [entry(principal, "A", 5), entry(principal, "B", 5), entry(principal, "C", 5)];
      await record(store, ...same);
      const byId = [...same].sort((a, b) => (a.id < b.id ? -1 : 1)).map((e) => e.id);

      const pages = await Promise.all(
        [1, 2, 3].map((page) => list(store).list({ principal, order: "asc", page, pageSize: 1 })),
      );

      assert.equal(
        pages.map((page) => page.items[0]?.id),
        byId,
      );
    });

    it("an entry recorded in a unit of work that fails is rolled back with it", async (store) => {
      const principal = `user:${randomUUID()}`;
      await rejects(
        () =>
          store.unitOfWork.run(meta, async () => {
            await store.container.get<AuditTrail>(AuditTrail).record(entry(principal, "CreateProduct", 1));
            throw new Error("the command's own write failed");
          }),
        Error,
      );

      assert.is((await list(store).list({ principal, order: "asc", page: 1, pageSize: 10 })).total, 0);
    });
  },
  { PLUGINS__ENABLED: "audit-log" },
);
