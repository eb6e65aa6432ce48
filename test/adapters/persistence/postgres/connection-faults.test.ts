/**
 * The Kysely database over pg, between keel and PostgreSQL, when the connection fails: refused,
 * reset, terminated by the server, black-holed, or the pool exhausted. Each fault must reach the
 * caller as DependencyUnavailable("database") within the configured timeouts, must never reach the
 * process as an unhandled 'error' event (which would kill keel), and a connection it broke must be
 * destroyed, never handed out again. SQL errors stay what they are.
 *
 * Faults go through a FaultProxy on loopback; pg_terminate_backend only touches this test's sessions.
 */
import { type Kysely, sql } from "kysely";
import * as assert from "uvu/assert";
import type { Database } from "../../../../src/adapters/persistence/kysely/database.js";
import { postgresDatabase } from "../../../../src/adapters/persistence/kysely/postgres-database.js";
import { violatedUniqueConstraint } from "../../../../src/adapters/persistence/kysely/sql-errors.js";
import { DependencyUnavailable } from "../../../../src/ports/dependency-unavailable.js";
import { deferred } from "../../../support/deferred.js";
import { eventually } from "../../../support/eventually.js";
import { FaultProxy } from "../../../support/fault-proxy.js";
import { POSTGRES_URL, postgresDecision, terminateSessionsOf } from "../../../support/postgres.js";
import { serviceTest } from "../../../support/services.js";
import { test } from "../../../support/uvu.js";

const decision = await postgresDecision();

const CONNECT_TIMEOUT_MS = 800;
const QUERY_TIMEOUT_MS = 600;
/** What a test allows beyond a configured timeout: scheduling on a busy 2-core machine. */
const SLACK_MS = 700;

interface Harness {
  readonly proxy: FaultProxy;
  readonly db: Kysely<Database>;
  /** Errors that reached the process uncaught: each would have killed keel. */
  readonly crashes: unknown[];
  readonly idleErrors: Error[];
}

/** A database of `poolSize` connections through a fresh proxy; everything is undone afterwards. */
async function withDatabase(poolSize: number, body: (h: Harness) => Promise<void>): Promise<void> {
  const crashes: unknown[] = [];
  const idleErrors: Error[] = [];
  const crash = (error: unknown) => crashes.push(error);
  process.on("uncaughtException", crash);
  const proxy = await FaultProxy.start({ host: new URL(POSTGRES_URL).hostname, port: postgresPort() });
  const db = postgresDatabase(
    {
      url: proxy.url(POSTGRES_URL),
      poolSize,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      statementTimeoutMs: 0,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
    },
    (error) => idleErrors.push(error),
  );
  try {
    await body({ proxy, db, crashes, idleErrors });
    assert.equal(crashes.map(String), [], "no error reached the process uncaught");
  } finally {
    // Closing the proxy first ends any connection still stuck on a lost query, so the pool can end.
    await proxy.close();
    await db.destroy().catch(() => undefined);
    process.off("uncaughtException", crash);
  }
}

function postgresPort(): number {
  return Number(new URL(POSTGRES_URL).port || 5432);
}

async function selectOne(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
  return Number(rows[0]?.one);
}

/** Runs `action`, expecting DependencyUnavailable("database"); returns how long it took, in ms. */
async function unavailable(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  try {
    await action();
  } catch (error) {
    const took = performance.now() - started;
    assert.instance(error, DependencyUnavailable, `expected DependencyUnavailable, got ${String(error)}`);
    assert.is((error as DependencyUnavailable).dependency, "database");
    assert.ok((error as DependencyUnavailable).retryAfterSeconds >= 1, "a Retry-After of a second or more");
    return took;
  }
  return assert.unreachable("expected DependencyUnavailable, but it resolved") as never;
}

/** `action` settles within `ms`, or the test fails instead of hanging. */
async function within<T>(ms: number, what: string, action: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([action(), late]);
  } finally {
    clearTimeout(timer);
  }
}

serviceTest(
  decision,
  "given PostgreSQL refuses connections, when a query runs, then it fails at once with DependencyUnavailable",
  () =>
    withDatabase(2, async ({ proxy, db }) => {
      proxy.set("refuse");
      const took = await within(CONNECT_TIMEOUT_MS + SLACK_MS, "refused query", () =>
        unavailable(() => selectOne(db)),
      );
      assert.ok(took < CONNECT_TIMEOUT_MS, `refused in ${Math.round(took)} ms, not at the connect timeout`);
      proxy.pass();
      assert.is(await selectOne(db), 1, "the next query after the outage succeeds");
    }),
);

serviceTest(
  decision,
  "given connections that are reset, when a query runs, then it fails with DependencyUnavailable",
  () =>
    withDatabase(2, async ({ proxy, db }) => {
      assert.is(await selectOne(db), 1);
      proxy.set("reset");
      await within(CONNECT_TIMEOUT_MS + SLACK_MS, "reset query", () => unavailable(() => selectOne(db)));
      proxy.pass();
      assert.is(await selectOne(db), 1);
    }),
);

serviceTest(
  decision,
  "given a transaction holding a connection between statements, when the connection is reset, then the process survives and the transaction fails with DependencyUnavailable",
  () =>
    withDatabase(2, async ({ proxy, db }) => {
      await within(CONNECT_TIMEOUT_MS + SLACK_MS, "transaction", () =>
        unavailable(() =>
          db.transaction().execute(async (trx) => {
            await selectOne(trx);
            proxy.set("reset");
            await selectOne(trx);
          }),
        ),
      );
      proxy.pass();
      assert.is(await selectOne(db), 1, "a new connection serves the next query");
    }),
);

serviceTest(
  decision,
  "given a transaction holding a connection, when PostgreSQL terminates keel's session (pg_terminate_backend), then the process survives and the transaction fails with DependencyUnavailable",
  () =>
    withDatabase(2, async ({ proxy, db }) => {
      await within(CONNECT_TIMEOUT_MS + SLACK_MS, "transaction", () =>
        unavailable(() =>
          db.transaction().execute(async (trx) => {
            await selectOne(trx);
            assert.ok((await terminateSessionsOf(proxy)) >= 1, "keel's session was terminated");
            // The server's FATAL arrives while the client is idle in the transaction, or answers this.
            await sql`select pg_sleep(0.2)`.execute(trx);
          }),
        ),
      );
      assert.is(await selectOne(db), 1, "a new session serves the next query");
    }),
);

serviceTest(
  decision,
  "given idle connections, when PostgreSQL terminates them, then the pool drops them quietly and the next query opens a new one",
  () =>
    withDatabase(2, async ({ proxy, db, idleErrors }) => {
      await Promise.all([selectOne(db), selectOne(db)]);
      const terminated = await terminateSessionsOf(proxy);
      assert.ok(terminated >= 1);
      await eventually(
        "the pool to notice",
        () => idleErrors.length,
        (n) => n >= terminated,
        2000,
      );
      assert.is(await selectOne(db), 1);
    }),
);

serviceTest(
  decision,
  "given a black-holed PostgreSQL (a partition), when a query runs, then it fails with DependencyUnavailable within the query timeout, and its connection is destroyed rather than reused",
  () =>
    withDatabase(1, async ({ proxy, db }) => {
      assert.is(await selectOne(db), 1, "the one connection is open and idle");
      proxy.set("blackhole");
      const took = await within(QUERY_TIMEOUT_MS + SLACK_MS, "black-holed query", () =>
        unavailable(() => selectOne(db)),
      );
      assert.ok(took >= QUERY_TIMEOUT_MS - 50, `failed after ${Math.round(took)} ms: at the query timeout`);
      // The old connection still has the lost query outstanding: handed out again, it would hang.
      proxy.pass();
      assert.is(await within(QUERY_TIMEOUT_MS, "query after the partition", () => selectOne(db)), 1);
    }),
);

serviceTest(
  decision,
  "given a black-holed PostgreSQL, when a transaction's statement times out, then the rollback does not wait for a second timeout",
  () =>
    withDatabase(1, async ({ proxy, db }) => {
      assert.is(await selectOne(db), 1);
      const took = await within(QUERY_TIMEOUT_MS + SLACK_MS, "black-holed transaction", () =>
        unavailable(() =>
          db.transaction().execute(async (trx) => {
            await selectOne(trx);
            proxy.set("blackhole");
            await selectOne(trx);
          }),
        ),
      );
      assert.ok(took < 2 * QUERY_TIMEOUT_MS, `failed after ${Math.round(took)} ms`);
    }),
);

serviceTest(
  decision,
  "given every connection busy, when a query waits for one longer than the connect timeout, then it fails with DependencyUnavailable",
  () =>
    withDatabase(1, async ({ db }) => {
      const hold = deferred();
      const held = deferred();
      const holder = db.transaction().execute(async (trx) => {
        await selectOne(trx);
        held.resolve();
        await hold.promise;
      });
      await held.promise;
      try {
        const took = await within(CONNECT_TIMEOUT_MS + SLACK_MS, "waiting query", () =>
          unavailable(() => selectOne(db)),
        );
        assert.ok(took >= CONNECT_TIMEOUT_MS - 50, `waited ${Math.round(took)} ms for a connection`);
      } finally {
        hold.resolve();
        await holder;
      }
      assert.is(await selectOne(db), 1, "the held connection went back to the pool");
    }),
);

serviceTest(
  decision,
  "given a SQL error (a unique violation, a division by zero), when a query fails, then it is the driver's error, not DependencyUnavailable, and the connection stays usable",
  () =>
    withDatabase(1, async ({ db }) => {
      const failure = await db
        .transaction()
        .execute(async (trx) => {
          await sql`create temporary table keel_fault_unique (k int primary key) on commit drop`.execute(trx);
          await sql`insert into keel_fault_unique values (1)`.execute(trx);
          await sql`insert into keel_fault_unique values (1)`.execute(trx);
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      assert.not.instance(failure, DependencyUnavailable);
      assert.is(violatedUniqueConstraint(failure), "keel_fault_unique_pkey");
      const division = await sql`select 1 / 0`.execute(db).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.not.instance(division, DependencyUnavailable);
      assert.is((division as { code?: string }).code, "22012");
      assert.is(await selectOne(db), 1);
    }),
);

test.run();
