import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import * as assert from "uvu/assert";
import type { Database } from "../../../../src/adapters/persistence/kysely/database.js";
import { Tokens } from "../../../../src/bootstrap/tokens.js";
import { LOG_START } from "../../../../src/ports/event-log.js";
import { deferred } from "../../../support/deferred.js";
import { eventually } from "../../../support/eventually.js";
import { openStore, type Store } from "../../../support/persistence.js";
import { postgresDecision } from "../../../support/postgres.js";
import { suite } from "../../../support/uvu.js";

const decision = await postgresDecision();
const order = suite<{ store?: Store }>("event log commit order [postgres]");

async function appendOne(trx: Transaction<Database>, label: string): Promise<void> {
  await trx
    .insertInto("events")
    .values({
      id: randomUUID(),
      aggregate_type: "test",
      aggregate_id: randomUUID(),
      aggregate_version: 1,
      type: label,
      data: "{}",
      metadata: JSON.stringify({ correlationId: label, principal: "system:test" }),
      occurred_at: new Date(),
    })
    .execute();
}

if (decision.run) {
  order.before(async (context) => {
    context.store = await openStore("postgres");
  });
  order.after(async (context) => {
    await context.store?.close();
  });
}

const spec = async (context: { store?: Store }) => {
  const store = context.store;
  if (store === undefined) throw new Error("no store");
  const db = store.container.get<Kysely<Database>>(Tokens.Database);

  // Given transaction A appends first (smaller position) and stays open,
  const aAppended = deferred();
  const releaseA = deferred();
  const a = db.transaction().execute(async (trx) => {
    await appendOne(trx, "A");
    aAppended.resolve();
    await releaseA.promise;
  });
  await aAppended.promise;
  // and transaction B, started later, appends (larger position) and commits first,
  await db.transaction().execute((trx) => appendOne(trx, "B"));

  // when the log is read while A is still open, then B is not returned yet: a reader that took it
  // and moved its checkpoint past it would skip A forever once A commits.
  const whileOpen = await store.eventLog.readAfter(LOG_START, 100);
  assert.equal(
    whileOpen.map((e) => e.type),
    [],
  );

  // When A commits, then both come back, A first (its transaction is older), each exactly once.
  releaseA.resolve();
  await a;
  // (Any transaction older than B anywhere on the shared server holds B back the same way, so wait
  // for it, bounded, rather than read once.)
  const afterCommit = await eventually(
    "both events once no older transaction is running",
    () => store.eventLog.readAfter(LOG_START, 100),
    (events) => events.length >= 2,
  );
  assert.equal(
    afterCommit.map((e) => e.type),
    ["A", "B"],
  );
  assert.ok(afterCommit[0] !== undefined && afterCommit[1] !== undefined);
  assert.ok(
    (afterCommit[0]?.position ?? 0) < (afterCommit[1]?.position ?? 0),
    "positions were taken at insert",
  );
};

if (decision.run)
  order(
    "given two overlapping transactions, the log is read in commit-safe order and never skips the late commit",
    spec,
  );
else order.skip(`overlapping transactions (${decision.reason})`, spec);

order.run();
