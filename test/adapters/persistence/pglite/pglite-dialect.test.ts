import type { PGlite } from "@electric-sql/pglite";
import { type DatabaseConnection, Kysely, sql } from "kysely";
import * as assert from "uvu/assert";
import { openPglite } from "../../../../src/adapters/persistence/pglite/open-pglite.js";
import { PgliteConnection } from "../../../../src/adapters/persistence/pglite/pglite-connection.js";
import { PgliteDialect, PgliteDriver } from "../../../../src/adapters/persistence/pglite/pglite-dialect.js";
import { deferred } from "../../../support/deferred.js";
import { test } from "../../../support/uvu.js";

interface Notes {
  notes: { id: string };
}

class RolledBack extends Error {}

/**
 * The published kysely-pglite driver's design: every caller is handed the one session at once.
 * It exists only here, to show that the lock test below fails without the lock.
 */
class UnguardedDriver extends PgliteDriver {
  readonly #connection: PgliteConnection;

  constructor(pglite: PGlite) {
    super({ pglite });
    this.#connection = new PgliteConnection(pglite);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }

  override async releaseConnection(): Promise<void> {}
}

class UnguardedDialect extends PgliteDialect {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    super({ pglite });
    this.#pglite = pglite;
  }

  override createDriver(): PgliteDriver {
    return new UnguardedDriver(this.#pglite);
  }
}

// One embedded database for the file: each memory:// instance costs seconds of initdb.
let pglite: PGlite | undefined;
let database: Kysely<Notes> | undefined;

function db(): Kysely<Notes> {
  if (database === undefined) throw new Error("database not opened");
  return database;
}

function sharedPglite(): PGlite {
  if (pglite === undefined) throw new Error("database not opened");
  return pglite;
}

test.before(async () => {
  pglite = await openPglite({ dataDir: "memory://" });
  database = new Kysely<Notes>({ dialect: new PgliteDialect({ pglite }) });
  await db()
    .schema.createTable("notes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .execute();
});

test.after(async () => {
  await database?.destroy();
});

test.before.each(async () => {
  await db().deleteFrom("notes").execute();
});

async function ids(on: Kysely<Notes> = db()): Promise<string[]> {
  const rows = await on.selectFrom("notes").select("id").orderBy("id").execute();
  return rows.map((row) => row.id);
}

/** Fails instead of hanging when a lock was never released. */
async function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after 5 s`)), 5000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Inserts A in a transaction, inserts B outside it while it is open, then rolls the transaction
 * back. Returns whether B had finished before the rollback.
 */
async function insertOutsideARolledBackTransaction(on: Kysely<Notes>): Promise<{ finishedEarly: boolean }> {
  const aInserted = deferred();
  const bIssued = deferred();
  const transaction = on.transaction().execute(async (trx) => {
    await trx.insertInto("notes").values({ id: "A" }).execute();
    aInserted.resolve();
    await bIssued.promise;
    throw new RolledBack();
  });
  await aInserted.promise;
  let finished = false;
  const outside = on
    .insertInto("notes")
    .values({ id: "B" })
    .execute()
    .then(() => {
      finished = true;
    });
  // Kysely and PGlite (memory://) run a statement in microtasks: after one macrotask turn an
  // unguarded B has finished, inside the open transaction; a guarded B is still waiting.
  await new Promise((resolve) => setImmediate(resolve));
  const finishedEarly = finished;
  bIssued.resolve();
  await transaction.then(
    () => assert.unreachable("the transaction should have rolled back"),
    (error: unknown) => assert.instance(error, RolledBack),
  );
  await within(outside, "the statement outside the transaction");
  return { finishedEarly };
}

test("given a transaction is open, when a row is inserted outside it and the transaction rolls back, then that row is kept and the transaction's is not", async () => {
  const { finishedEarly } = await insertOutsideARolledBackTransaction(db());
  assert.not.ok(finishedEarly, "the outside insert waited for the transaction to end");
  assert.equal(await ids(), ["B"]);
});

test("given a driver without the lock, when the same happens, then the outside row is lost with the rollback (the test above can fail)", async () => {
  // Not destroyed: it would close the shared instance, which test.after closes.
  const unguarded = new Kysely<Notes>({ dialect: new UnguardedDialect(sharedPglite()) });
  const { finishedEarly } = await insertOutsideARolledBackTransaction(unguarded);
  assert.ok(finishedEarly, "the outside insert ran inside the open transaction");
  assert.equal(await ids(), []);
});

test("given a transaction that returns, when it ends, then all its writes are committed", async () => {
  const result = await db()
    .transaction()
    .execute(async (trx) => {
      await trx.insertInto("notes").values({ id: "1" }).execute();
      await trx.insertInto("notes").values({ id: "2" }).execute();
      return "done";
    });
  assert.is(result, "done");
  assert.equal(await ids(), ["1", "2"]);
});

test("given a transaction that throws, when it ends, then none of its writes remain and the error reaches the caller", async () => {
  const failure = db()
    .transaction()
    .execute(async (trx) => {
      await trx.insertInto("notes").values({ id: "1" }).execute();
      throw new RolledBack();
    });
  await failure.then(
    () => assert.unreachable("expected a rollback"),
    (error: unknown) => assert.instance(error, RolledBack),
  );
  assert.equal(await ids(), []);
});

test("given a statement fails inside a transaction, when the transaction ends, then all of it is rolled back and the database serves the next transaction", async () => {
  await db().insertInto("notes").values({ id: "taken" }).execute();
  const failure = db()
    .transaction()
    .execute(async (trx) => {
      await trx.insertInto("notes").values({ id: "1" }).execute();
      await trx.insertInto("notes").values({ id: "taken" }).execute();
    });
  await failure.then(
    () => assert.unreachable("expected a unique violation"),
    (error: unknown) => assert.is((error as { code?: unknown }).code, "23505"),
  );
  assert.equal(await within(ids(), "a read after the failed transaction"), ["taken"]);
  await within(
    db()
      .transaction()
      .execute((trx) => trx.insertInto("notes").values({ id: "2" }).execute()),
    "the next transaction",
  );
  assert.equal(await ids(), ["2", "taken"]);
});

test("given a controlled transaction with a savepoint, when it rolls back to the savepoint and commits, then only the writes outside the rolled-back savepoint remain", async () => {
  const trx = await db().startTransaction().execute();
  await trx.insertInto("notes").values({ id: "kept" }).execute();
  const afterSavepoint = await trx.savepoint("before_second").execute();
  await afterSavepoint.insertInto("notes").values({ id: "undone" }).execute();
  await afterSavepoint.rollbackToSavepoint("before_second").execute();
  const third = await trx.savepoint("before_third").execute();
  await third.insertInto("notes").values({ id: "released" }).execute();
  await third.releaseSavepoint("before_third").execute();
  await trx.commit().execute();
  assert.equal(await ids(), ["kept", "released"]);
});

test("given a raw statement without parameters, when it holds several statements, then all of them run, as they do over pg", async () => {
  await sql`insert into notes values ('1'); insert into notes values ('2')`.execute(db());
  assert.equal(await ids(), ["1", "2"]);
});

test("given writes and reads, when they run, then Kysely gets the affected row counts and the rows", async () => {
  const inserted = await db()
    .insertInto("notes")
    .values([{ id: "1" }, { id: "2" }])
    .executeTakeFirstOrThrow();
  assert.is(inserted.numInsertedOrUpdatedRows, 2n);
  const updated = await db()
    .updateTable("notes")
    .set({ id: "3" })
    .where("id", "=", "1")
    .executeTakeFirstOrThrow();
  assert.is(updated.numUpdatedRows, 1n);
  const deleted = await db().deleteFrom("notes").where("id", "in", ["2", "3"]).executeTakeFirstOrThrow();
  assert.is(deleted.numDeletedRows, 2n);
  assert.equal(await ids(), []);
});

test("given a row with a key, when another row takes the same key, then the error is shaped as pg's: SQLSTATE 23505, the constraint, the caller's stack, no bound values", async () => {
  await db().insertInto("notes").values({ id: "same" }).execute();
  async function insertDuplicate(): Promise<unknown> {
    await db().insertInto("notes").values({ id: "same" }).execute();
    return assert.unreachable("expected a unique violation");
  }
  const error = await insertDuplicate().catch((caught: unknown) => caught);
  assert.instance(error, Error);
  const fields = error as Error & { code?: unknown; constraint?: unknown; table?: unknown; detail?: unknown };
  assert.is(fields.code, "23505");
  assert.is(fields.constraint, "notes_pkey");
  assert.is(fields.table, "notes");
  assert.is(fields.detail, "Key (id)=(same) already exists.");
  assert.match(fields.stack ?? "", /insertDuplicate/, "the stack reaches the code that issued the query");
  assert.not.ok("params" in fields, "bound values stay out of errors (and error logs)");
});

test("given 50 queries issued at once outside any transaction, when they run, then every one completes", async () => {
  const writes = Array.from({ length: 50 }, (_, i) =>
    db()
      .insertInto("notes")
      .values({ id: String(i).padStart(2, "0") })
      .execute(),
  );
  const reads = Array.from({ length: 50 }, () => ids());
  await within(Promise.all([...writes, ...reads]), "100 concurrent queries");
  assert.is((await ids()).length, 50);
});

test("given a query through Kysely's stream, when it is read, then it fails with a clear message and releases the connection", async () => {
  await db().insertInto("notes").values({ id: "1" }).execute();
  const reading = (async () => {
    for await (const _ of db().selectFrom("notes").selectAll().stream()) {
      assert.unreachable("no row should be streamed");
    }
  })();
  await reading.then(
    () => assert.unreachable("expected streaming to be refused"),
    (error: unknown) => assert.match(String(error), /does not support streaming/),
  );
  assert.equal(await within(ids(), "a read after the refused stream"), ["1"]);
});

test("given queries queued behind an open transaction, when the database is destroyed, then the queued work finishes, PGlite closes, and a later query fails at once", async () => {
  const own = await openPglite({ dataDir: "memory://" });
  const ownDb = new Kysely<Notes>({ dialect: new PgliteDialect({ pglite: own }) });
  await ownDb.schema
    .createTable("notes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .execute();

  const trx = await ownDb.startTransaction().execute();
  await trx.insertInto("notes").values({ id: "in transaction" }).execute();
  const queuedWrite = ownDb.insertInto("notes").values({ id: "queued" }).execute();
  const queuedRead = ids(ownDb);
  const destroyed = ownDb.destroy();
  await trx.commit().execute();
  await within(Promise.all([queuedWrite, destroyed]), "destroy after the queued work");
  assert.equal(await queuedRead, ["in transaction", "queued"]);
  assert.ok(own.closed, "destroy closes PGlite");

  const later = ownDb.selectFrom("notes").selectAll().execute();
  await within(later, "a query after destroy").then(
    () => assert.unreachable("a query after destroy must fail"),
    (error: unknown) => assert.match(String(error), /destroyed/),
  );
});

test.run();
