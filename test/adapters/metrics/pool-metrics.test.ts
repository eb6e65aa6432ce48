/**
 * The database pool gauges of /metrics on PostgreSQL (skipped with the reason locally when it is not
 * there, required under CI=true): connections in use, idle and waited for, read from the pool the
 * composition root opened, at scrape time.
 */
import type { Kysely } from "kysely";
import * as assert from "uvu/assert";
import type { KeelMetrics } from "../../../src/adapters/metrics/keel-metrics.js";
import type { Database } from "../../../src/adapters/persistence/kysely/database.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { deferred } from "../../support/deferred.js";
import { eventually } from "../../support/eventually.js";
import { sampled } from "../../support/exposition.js";
import { openStore } from "../../support/persistence.js";
import { postgresDecision } from "../../support/postgres.js";
import { serviceTest } from "../../support/services.js";
import { test } from "../../support/uvu.js";

async function poolOf(metrics: KeelMetrics) {
  const text = await metrics.exposition();
  const of = (name: string) => sampled(text, name, { pool: "write" });
  return {
    inUse: of("keel_db_pool_in_use"),
    idle: of("keel_db_pool_idle"),
    waiting: of("keel_db_pool_waiting"),
  };
}

serviceTest(
  await postgresDecision(),
  "given a write pool of 2, when both connections are held and a third query waits, then the gauges read 2 in use, 0 idle, 1 waiting, and 0, 2, 0 once they are released",
  async () => {
    const store = await openStore("postgres", { DATABASE__POOL_SIZE: "2" });
    const release = deferred();
    const held: Promise<unknown>[] = [];
    try {
      const metrics = store.container.get<KeelMetrics>(Tokens.Metrics);
      const db = store.container.get<Kysely<Database>>(Tokens.Database);
      const hold = () => {
        const acquired = deferred();
        held.push(
          db.connection().execute(async () => {
            acquired.resolve();
            await release.promise;
          }),
        );
        return acquired.promise;
      };
      await hold();
      await hold();
      const third = db.selectNoFrom((eb) => eb.lit(1).as("one")).execute();
      held.push(third);
      assert.equal(
        await eventually(
          "the third query to wait",
          () => poolOf(metrics),
          (pool) => pool.waiting === 1,
        ),
        { inUse: 2, idle: 0, waiting: 1 },
      );
      release.resolve();
      assert.equal(await third, [{ one: 1 }]);
      assert.equal(
        await eventually(
          "every connection back in the pool",
          () => poolOf(metrics),
          (pool) => pool.inUse === 0,
        ),
        { inUse: 0, idle: 2, waiting: 0 },
      );
    } finally {
      release.resolve();
      await Promise.allSettled(held);
      await store.close();
    }
  },
);

test.run();
