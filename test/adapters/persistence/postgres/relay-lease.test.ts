import pg from "pg";
import * as assert from "uvu/assert";
import { PostgresRelayLease } from "../../../../src/adapters/persistence/kysely/postgres-relay-state.js";
import { POSTGRES_URL, postgresDecision } from "../../../support/postgres.js";
import { suite } from "../../../support/uvu.js";

const decision = await postgresDecision();
const lease = suite("relay lease (advisory lock) [postgres]");

const spec = async () => {
  const active = new PostgresRelayLease(POSTGRES_URL);
  const standby = new PostgresRelayLease(POSTGRES_URL);
  try {
    assert.is(await active.tryAcquire(), true, "the first relay becomes active");
    assert.is(await standby.tryAcquire(), false, "a second one stands by");

    // When the active relay's session dies (as with SIGKILL), PostgreSQL frees the lock at once.
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'keel-relay-lease'",
    );
    await admin.end();
    let taken = false;
    for (let attempt = 0; attempt < 50 && !taken; attempt++) {
      taken = await standby.tryAcquire();
      if (!taken) await new Promise((next) => setTimeout(next, 20));
    }
    assert.is(taken, true, "the standby takes over");
  } finally {
    await active.release().catch(() => undefined);
    await standby.release();
  }
};

if (decision.run)
  lease("one relay holds the lease; a standby takes over when the holder's session dies", spec);
else lease.skip(`relay lease (${decision.reason})`, spec);
lease.run();
