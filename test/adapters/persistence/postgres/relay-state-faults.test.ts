import * as assert from "uvu/assert";
import {
  PostgresLogWatcher,
  PostgresRelayLease,
} from "../../../../src/adapters/persistence/kysely/postgres-relay-state.js";
import { DependencyUnavailable } from "../../../../src/ports/dependency-unavailable.js";
import { eventually } from "../../../support/eventually.js";
import { FaultProxy } from "../../../support/fault-proxy.js";
import {
  createTestSchema,
  POSTGRES_URL,
  postgresDecision,
  type TestSchema,
  terminateSessionsOf,
} from "../../../support/postgres.js";
import { serviceTest } from "../../../support/services.js";
import { test } from "../../../support/uvu.js";

const decision = await postgresDecision();

const TIMEOUTS = { connectTimeoutMs: 600, queryTimeoutMs: 600 };
const SLACK_MS = 700;

interface Harness {
  readonly proxy: FaultProxy;
  /** A schema of this test's own: the lock is keyed by schema, so no other relay contends for it. */
  readonly url: string;
  readonly crashes: unknown[];
}

async function withProxy(body: (h: Harness) => Promise<void>): Promise<void> {
  const crashes: unknown[] = [];
  const crash = (error: unknown) => crashes.push(error);
  process.on("uncaughtException", crash);
  let schema: TestSchema | undefined;
  const proxy = await FaultProxy.start({
    host: new URL(POSTGRES_URL).hostname,
    port: Number(new URL(POSTGRES_URL).port || 5432),
  });
  try {
    schema = await createTestSchema();
    await body({ proxy, url: proxy.url(schema.url), crashes });
    assert.equal(crashes.map(String), [], "no error reached the process uncaught");
  } finally {
    await proxy.close();
    await schema?.drop();
    process.off("uncaughtException", crash);
  }
}

/** `action` settles within `ms`; returns how long it took, or fails the test instead of hanging. */
async function within(ms: number, what: string, action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([action(), late]);
    return performance.now() - started;
  } finally {
    clearTimeout(timer);
  }
}

serviceTest(
  decision,
  "given a black-holed PostgreSQL, when the relay tries to take the lease, then it fails with DependencyUnavailable within the timeouts instead of hanging",
  () =>
    withProxy(async ({ proxy, url }) => {
      const lease = new PostgresRelayLease(url, TIMEOUTS);
      proxy.set("blackhole");
      let failure: unknown;
      await within(TIMEOUTS.connectTimeoutMs + SLACK_MS, "tryAcquire", () =>
        lease.tryAcquire().catch((error: unknown) => {
          failure = error;
        }),
      );
      assert.instance(failure, DependencyUnavailable);
      proxy.pass();
      assert.is(await lease.tryAcquire(), true, "the lease is taken once the database answers");
      await lease.release();
    }),
);

serviceTest(
  decision,
  "given a black-holed PostgreSQL, when the relay waits for appends, then the wait still ends after its timeout",
  () =>
    withProxy(async ({ proxy, url }) => {
      const watcher = new PostgresLogWatcher(url, TIMEOUTS);
      proxy.set("blackhole");
      const took = await within(TIMEOUTS.connectTimeoutMs + 200 + SLACK_MS, "wait", () => watcher.wait(200));
      assert.ok(took >= 200, `waited ${Math.round(took)} ms`);
      proxy.pass();
      await within(TIMEOUTS.connectTimeoutMs + SLACK_MS, "close", () => watcher.close());
    }),
);

serviceTest(
  decision,
  "given a held lease and a LISTEN connection, when PostgreSQL terminates their sessions, then the process survives and the lease is taken again",
  () =>
    withProxy(async ({ proxy, url }) => {
      const lease = new PostgresRelayLease(url, TIMEOUTS);
      const watcher = new PostgresLogWatcher(url, TIMEOUTS);
      assert.is(await lease.tryAcquire(), true);
      await watcher.wait(1);
      assert.is(await terminateSessionsOf(proxy), 2, "the lease's and the listener's sessions ended");
      // The server frees the lock as the session ends; a new session takes it.
      await eventually(
        "the lease to be taken again",
        async () => {
          await lease.release();
          return lease.tryAcquire();
        },
        (taken) => taken,
        3000,
      );
      await within(TIMEOUTS.connectTimeoutMs + SLACK_MS, "wait after termination", () => watcher.wait(1));
      await lease.release();
      await watcher.close();
    }),
);

test.run();
