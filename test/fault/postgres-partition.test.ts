/**
 * Fault test (issue "PostgreSQL faults"): a partition. `keel serve` and `keel worker` in the
 * production profile, PostgreSQL behind a proxy that black-holes every byte — connections stay open
 * and nothing ever comes back, so only keel's own timeouts can end a request. With
 * DATABASE__STATEMENT_TIMEOUT_MS=1000, DATABASE__QUERY_TIMEOUT_MS=1500 and DATABASE__CONNECT_TIMEOUT_MS=1000,
 * no request (read, write, sign-in, readiness) may take longer than the query timeout plus 1 s, none
 * may be a 500, and after the partition ends serve and worker answer again within 5 s and the relay
 * publishes what was written since.
 */
import * as assert from "uvu/assert";
import { eventually } from "../support/eventually.js";
import { ProductionStack, STACK_ADMIN, stackDecision } from "../support/production-stack.js";
import { serviceTest } from "../support/services.js";
import { type Answer, adminHeaders, hold, tally, timed } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";
import {
  BOUND_MS,
  createProduct,
  databaseFaultEnv,
  RECOVERY_MS,
  recovered,
  relayCaughtUp,
} from "./postgres-fault-stack.js";

/** How long the partition lasts: several query timeouts, so that every kind of request meets it. */
const PARTITION_S = Number(process.env.FAULT_PG_PARTITION_S ?? 8);
/** Closed loops per kind of request during the partition (more than the pool has connections). */
const LOOPS = { read: 8, write: 4, signIn: 2, ready: 1 } as const;
/** The relay pauses up to 5 s between failed rounds, then publishes a batch. */
const RELAY_CATCH_UP_MS = 15_000;

serviceTest(
  await stackDecision(),
  "given a black-holed PostgreSQL, when reads, writes, sign-ins and probes keep coming, then none takes longer than the query timeout plus 1 s, none is a 500, and everything answers again within 5 s once the partition ends",
  async () => {
    const stack = await ProductionStack.start({ env: databaseFaultEnv() });
    try {
      const serve = stack.url("serve");
      const headers = await adminHeaders(stack);
      const productId = await createProduct(stack, headers, "PARTITIONED");

      const answers = new Map<string, Answer[]>(Object.keys(LOOPS).map((kind) => [kind, []]));
      const send: Record<keyof typeof LOOPS, () => Promise<Answer>> = {
        read: () => timed(`${serve}/api/v1/products/${productId}`),
        write: () =>
          timed(`${serve}/api/v1/products/${productId}/stock-adjustments`, {
            method: "POST",
            headers,
            json: { delta: 1, reason: "during the partition" },
          }),
        signIn: () =>
          timed(`${serve}/api/v1/auth/token`, {
            method: "POST",
            form: { grant_type: "password", username: STACK_ADMIN.email, password: STACK_ADMIN.password },
          }),
        ready: () => timed(`${serve}/health/ready`),
      };
      let partitioned = true;
      stack.postgres.set("blackhole");
      const started = performance.now();
      const loops = (Object.keys(LOOPS) as (keyof typeof LOOPS)[]).flatMap((kind) =>
        Array.from({ length: LOOPS[kind] }, async () => {
          while (partitioned) answers.get(kind)?.push(await send[kind]());
        }),
      );
      await hold(PARTITION_S * 1000);
      partitioned = false;
      await Promise.all(loops);
      const partitionMs = performance.now() - started;
      stack.postgres.pass();
      const restored = performance.now();
      const written: Answer[] = [];
      const recovery = await recovered(
        stack,
        { productId, headers, written: (a) => written.push(a) },
        restored,
      )
        .then((ms) => ({ ms }))
        .catch((error: unknown) => ({ ms: Number.NaN, error }));
      const relayStarted = performance.now();
      const relayDone = await eventually(
        "the relay to publish what was written",
        () => relayCaughtUp(stack.schema.url),
        (caughtUp) => caughtUp,
        RELAY_CATCH_UP_MS,
      ).then(
        () => true,
        () => false,
      );
      const relayMs = performance.now() - relayStarted;

      const all = [...answers.values()].flat();
      const longest = Math.max(...all.map((a) => a.ms));
      console.log(
        [
          `  partition of ${Math.round(partitionMs)} ms; ${all.length} requests answered during it`,
          ...[...answers].map(
            ([kind, list]) =>
              `  ${kind}: ${tally(list)}; longest ${Math.round(Math.max(...list.map((a) => a.ms)))} ms`,
          ),
          `  longest request: ${Math.round(longest)} ms (bound ${BOUND_MS} ms)`,
          `  ${Number.isNaN(recovery.ms) ? `not recovered within ${RECOVERY_MS} ms` : `recovered ${Math.round(recovery.ms)} ms after the partition ended`}; ` +
            `relay ${relayDone ? `caught up ${Math.round(relayMs)} ms later` : `not caught up within ${RELAY_CATCH_UP_MS} ms`}`,
        ].join("\n"),
      );

      assert.ok(longest <= BOUND_MS, `the longest request took ${Math.round(longest)} ms`);
      for (const [kind, list] of answers) {
        assert.ok(list.length > 0, `${kind} requests were answered`);
        for (const answer of list) {
          assert.is(answer.status, 503, `${kind}: ${answer.status} ${answer.code}`);
          if (kind !== "ready") assert.ok(Number(answer.retryAfter) >= 1, `${kind}: Retry-After`);
        }
      }
      assert.equal(
        [...new Set(answers.get("read")?.map((a) => a.code))],
        ["SERVICE_UNAVAILABLE"],
        "reads get the envelope",
      );
      assert.equal([...new Set(answers.get("signIn")?.map((a) => a.code))], ["temporarily_unavailable"]);
      assert.ok(stack.alive("serve") && stack.alive("worker"), "serve and worker are still running");
      if ("error" in recovery) throw recovery.error;
      assert.ok(relayDone, "the relay publishes what was written once the partition ends");
    } finally {
      await stack.stop();
    }
  },
);

test.run();
