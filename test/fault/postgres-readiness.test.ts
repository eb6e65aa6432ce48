/**
 * Fault test (issue "PostgreSQL faults"): readiness after an outage that overlapped its first probe.
 * `keel serve` in the production profile with migrations applied beforehand and
 * DATABASE__MIGRATE_ON_START=false (the production default), so the first readiness probe is the first
 * to ask for the migration status. PostgreSQL refuses connections during that probe; once it is back,
 * readiness must turn 200 within the recovery bound, without a restart.
 */

import type { Kysely } from "kysely";
import * as assert from "uvu/assert";
import type { Database } from "../../src/adapters/persistence/kysely/database.js";
import { Migrations } from "../../src/adapters/persistence/kysely/migrations.js";
import { postgresDatabase } from "../../src/adapters/persistence/kysely/postgres-database.js";
import { appMigrations } from "../../src/bootstrap/app-config.js";
import { eventually } from "../support/eventually.js";
import { postgresDecision } from "../support/postgres.js";
import { ProductionStack } from "../support/production-stack.js";
import { redisDecision } from "../support/redis.js";
import { type ServiceDecision, serviceTest } from "../support/services.js";
import { timed } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";
import { databaseFaultEnv, RECOVERY_MS, TIMEOUTS } from "./postgres-fault-stack.js";

async function decision(): Promise<ServiceDecision> {
  const postgres = await postgresDecision();
  return postgres.run ? redisDecision() : postgres;
}

/** Applies every migration to the stack's schema directly (not through the proxy), as `keel migrate up` would. */
async function migrate(url: string): Promise<void> {
  const db: Kysely<Database> = postgresDatabase(
    {
      url,
      poolSize: 1,
      connectTimeoutMs: TIMEOUTS.connectMs,
      statementTimeoutMs: 0,
      queryTimeoutMs: 60_000,
    },
    () => undefined,
  );
  try {
    await new Migrations(db, appMigrations).up();
  } finally {
    await db.destroy();
  }
}

interface Check {
  readonly name: string;
  readonly status: string;
  readonly error?: string;
}

serviceTest(
  await decision(),
  "given PostgreSQL refuses connections during the first readiness probe, when it is back, then readiness is 200 again within the recovery bound",
  async () => {
    const stack = await ProductionStack.start({ processes: [], env: databaseFaultEnv() });
    try {
      await migrate(stack.schema.url);
      await stack.startProcess("serve", { DATABASE__MIGRATE_ON_START: "false" });
      const ready = () => timed(`${stack.url("serve")}/health/ready`);

      stack.postgres.set("refuse");
      const during = await ready();
      const checks: Check[] = during.body?.data?.checks ?? [];
      stack.postgres.pass();
      const restored = performance.now();
      const after = await eventually("readiness to be 200 again", ready, (a) => a.status === 200, RECOVERY_MS)
        .then((answer) => ({ answer, ms: performance.now() - restored }))
        .catch(async (error: unknown) => ({ answer: await ready(), ms: Number.NaN, error }));

      console.log(
        [
          `  first probe, during the outage: ${during.status} ${checks.map((c) => `${c.name} ${c.status}${c.error ? ` (${c.error})` : ""}`).join(", ")}`,
          `  after the outage: ${after.answer.status} ${Number.isNaN(after.ms) ? `still, ${RECOVERY_MS} ms later: ${JSON.stringify(after.answer.body?.data?.checks)}` : `${Math.round(after.ms)} ms after it ended`}`,
        ].join("\n"),
      );

      assert.is(during.status, 503);
      const statusOf = Object.fromEntries(checks.map((c) => [c.name, c.status]));
      assert.equal(
        [statusOf.database, statusOf.migrations],
        ["down", "down"],
        "both the database and the migration status are down during the outage",
      );
      assert.is(after.answer.status, 200, "readiness recovers without a restart");
      assert.ok(stack.alive("serve"));
    } finally {
      await stack.stop();
    }
  },
);

test.run();
