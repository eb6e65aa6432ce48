/**
 * Fault test (issue "PostgreSQL faults"): `keel serve` and `keel worker`, production profile, each
 * its own process, under a steady load of READS_PER_S reads and WRITES_PER_S authenticated writes
 * (loopback, keep-alive), while PostgreSQL is cut CUTS times for CUT_S seconds each (connections
 * refused, then reset, in turn) and then TERMINATIONS times has keel's sessions ended by
 * pg_terminate_backend, as a server restart or a failover does.
 *
 * Neither process may exit. While the database is away, requests get a 503 envelope with Retry-After,
 * none a 500 and none later than the bound (the query timeout plus 1 s). After each fault a read, a
 * write and both readiness probes answer again within 5 s, without a restart, and every request of
 * the load started after that succeeds. Every write keel acknowledged (201/200) is in the event log.
 * Prints the status counts, the longest request and the recovery times.
 *
 * The full run takes about 105 s (75 s of it the cuts); FAULT_PG_CUTS, FAULT_PG_CUT_S and
 * FAULT_PG_TERMINATIONS make a shorter one possible.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import * as assert from "uvu/assert";
import { eventually } from "../support/eventually.js";
import { terminateSessionsOf } from "../support/postgres.js";
import { ProductionStack, stackDecision } from "../support/production-stack.js";
import { serviceTest } from "../support/services.js";
import { type Answer, adminHeaders, hold, logLines, tally, timed } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";
import {
  BOUND_MS,
  createProduct,
  databaseFaultEnv,
  deadLetters,
  RECOVERY_MS,
  recovered,
  relayCaughtUp,
} from "./postgres-fault-stack.js";

const CUTS = Number(process.env.FAULT_PG_CUTS ?? 5);
const CUT_S = Number(process.env.FAULT_PG_CUT_S ?? 15);
const TERMINATIONS = Number(process.env.FAULT_PG_TERMINATIONS ?? 5);
const READS_PER_S = 400;
const WRITES_PER_S = 40;
/** Loops that share the load; each write loop adjusts products of its own, so writes never conflict. */
const READ_LOOPS = 20;
const WRITE_LOOPS = 4;
/** Normal load before the first fault and after each recovery. */
const BETWEEN_FAULTS_MS = 2000;

interface Sample extends Answer {
  readonly kind: "read" | "write";
  readonly startedAt: number;
}

/** A fault and what followed: when it began and ended, and when everything answered again. */
interface Fault {
  readonly name: string;
  readonly began: number;
  readonly ended: number;
  readonly recoveredAt: number;
}

/** Runs `body` `perSecond` times a second until `running()` is false; ticks missed while busy are dropped, not bunched. */
async function paced(perSecond: number, running: () => boolean, body: (k: number) => Promise<void>) {
  const interval = 1000 / perSecond;
  const begun = performance.now();
  for (let k = 0; running(); k++) {
    const wait = begun + k * interval - performance.now();
    if (wait > 0) await hold(wait);
    else if (-wait > interval) k = Math.floor((performance.now() - begun) / interval);
    await body(k);
  }
}

serviceTest(
  await stackDecision(),
  `given ${READS_PER_S} reads/s and ${WRITES_PER_S} writes/s, when PostgreSQL is cut ${CUTS} times for ${CUT_S} s and keel's sessions are terminated ${TERMINATIONS} times, then serve and worker stay up, answer 503 with Retry-After within the bound, recover within 5 s, and every acknowledged write is in the log`,
  async () => {
    const testStarted = performance.now();
    const stack = await ProductionStack.start({ env: databaseFaultEnv() });
    try {
      const serve = stack.url("serve");
      const headers = await adminHeaders(stack);
      const run = randomBytes(3).toString("hex").toUpperCase();
      const readIds = await Promise.all(
        [1, 2, 3, 4].map((i) => createProduct(stack, headers, `PG-${run}-R${i}`)),
      );
      const ownIds = await Promise.all(
        Array.from({ length: WRITE_LOOPS }, (_, i) => createProduct(stack, headers, `PG-${run}-W${i}`)),
      );
      const probeId = await createProduct(stack, headers, `PG-${run}-PROBE`);

      const samples: Sample[] = [];
      const acknowledged: Answer[] = [];
      let loading = true;
      const loadStarted = performance.now();
      const sample = async (kind: Sample["kind"], request: () => Promise<Answer>) => {
        const startedAt = performance.now();
        const answer = await request();
        samples.push({ ...answer, kind, startedAt });
        if (kind === "write" && (answer.status === 200 || answer.status === 201)) acknowledged.push(answer);
      };
      const reads = Array.from({ length: READ_LOOPS }, (_, loop) =>
        paced(
          READS_PER_S / READ_LOOPS,
          () => loading,
          (k) =>
            sample("read", () => timed(`${serve}/api/v1/products/${readIds[(loop + k) % readIds.length]}`)),
        ),
      );
      // Each write loop creates a product, then adjusts its own, in turn: 201s and 200s.
      const writes = ownIds.map((own, loop) =>
        paced(
          WRITES_PER_S / WRITE_LOOPS,
          () => loading,
          (k) =>
            sample("write", () =>
              k % 2 === 0
                ? timed(`${serve}/api/v1/products`, {
                    method: "POST",
                    headers,
                    json: {
                      name: "Load",
                      sku: `PG-${run}-${loop}-${k}`,
                      price: 250,
                      currency: "EUR",
                      stock: 3,
                    },
                  })
                : timed(`${serve}/api/v1/products/${own}/stock-adjustments`, {
                    method: "POST",
                    headers,
                    json: { delta: 1, reason: "load" },
                  }),
            ),
        ),
      );

      const faults: Fault[] = [];
      const unrecovered: string[] = [];
      const exits: string[] = [];
      const bothAlive = (when: string) => {
        for (const name of ["serve", "worker"] as const)
          if (!stack.alive(name) && !exits.some((exit) => exit.startsWith(name)))
            exits.push(`${name} ${when}`);
      };
      const target = { productId: probeId, headers, written: (answer: Answer) => acknowledged.push(answer) };
      // A fault, then the wait for recovery; false when keel did not recover within RECOVERY_MS.
      const fault = async (name: string, inject: () => Promise<string>): Promise<boolean> => {
        const began = performance.now();
        const detail = await inject();
        const ended = performance.now();
        const recovery = await recovered(stack, target, ended).then(
          (ms) => ({ ms }),
          (error: unknown) => ({ ms: Number.NaN, error }),
        );
        faults.push({ name: `${name} (${detail})`, began, ended, recoveredAt: ended + recovery.ms });
        bothAlive(`after ${name}`);
        if ("error" in recovery) {
          unrecovered.push(
            `${name}: ${recovery.error instanceof Error ? recovery.error.message : String(recovery.error)}`,
          );
          return false;
        }
        await hold(BETWEEN_FAULTS_MS);
        return true;
      };
      const cut = (mode: "refuse" | "reset") => async () => {
        stack.postgres.set(mode);
        await hold(CUT_S * 1000);
        stack.postgres.pass();
        return `${mode}, ${CUT_S} s`;
      };
      const terminate = async () => `${await terminateSessionsOf(stack.postgres)} sessions ended`;
      await hold(BETWEEN_FAULTS_MS);
      let recovering = true;
      for (let i = 0; i < CUTS && recovering; i++) {
        recovering = await fault(`cut ${i + 1}`, cut(i % 2 === 0 ? "refuse" : "reset"));
      }
      for (let i = 0; i < TERMINATIONS && recovering; i++) {
        recovering = await fault(`termination ${i + 1}`, terminate);
      }
      loading = false;
      await Promise.all([...reads, ...writes]);
      const loadEnd = performance.now();
      bothAlive("at the end");
      const relayStarted = performance.now();
      const relayDone = await eventually(
        "the relay to publish the whole log",
        () => relayCaughtUp(stack.schema.url),
        (caughtUp) => caughtUp,
        20_000,
      ).then(
        () => true,
        () => false,
      );
      const relayMs = performance.now() - relayStarted;
      const givenUp = await deadLetters(stack);

      // Every acknowledged write is in the log: its aggregate at the version it answered with.
      const db = new pg.Client({ connectionString: stack.schema.url });
      await db.connect();
      const missing = await db
        .query<{ n: string }>(
          `select count(*) as n from unnest($1::text[], $2::int[]) as w(id, version)
            where not exists (select 1 from events e
                               where e.aggregate_id::text = w.id and e.aggregate_version = w.version)`,
          [acknowledged.map((a) => a.body.data.id), acknowledged.map((a) => a.body.data.version)],
        )
        .finally(() => db.end());
      const notInLog = Number(missing.rows[0]?.n);

      // What the load saw: during each fault, between a fault's end and recovery, and after recovery.
      const within = (s: Sample, from: number, to: number) => s.startedAt >= from && s.startedAt < to;
      // Sent after a recovery and answered before the next fault began.
      const afterRecovery = samples.filter((s) =>
        faults.some(
          (f, i) => s.startedAt >= f.recoveredAt && s.startedAt + s.ms < (faults[i + 1]?.began ?? loadEnd),
        ),
      );
      const failedAfterRecovery = afterRecovery.filter((s) => s.status !== 200 && s.status !== 201);
      const describeLate = (s: Sample) => {
        const f = faults.filter((fault) => fault.ended <= s.startedAt).at(-1);
        return `${s.kind} ${s.status} sent ${Math.round(s.startedAt - (f?.ended ?? 0))} ms after ${f?.name} ended, took ${Math.round(s.ms)} ms`;
      };
      const unavailable = samples.filter((s) => s.status === 503);
      const badUnavailable = unavailable.filter(
        (s) => s.code !== "SERVICE_UNAVAILABLE" || !(Number(s.retryAfter) >= 1),
      );
      const longest = samples.reduce((a, b) => (b.ms > a.ms ? b : a), samples[0] as Sample);
      const serveErrors = logLines(stack.running.get("serve")?.spawned.stdout() ?? "").filter(
        (l) => (l.level ?? 0) >= 50,
      );
      const workerErrors = logLines(stack.running.get("worker")?.spawned.stdout() ?? "").filter(
        (l) => (l.level ?? 0) >= 50,
      );
      const seconds = (loadEnd - loadStarted) / 1000;
      const perSecond = (kind: Sample["kind"]) =>
        Math.round(samples.filter((s) => s.kind === kind).length / seconds);

      console.log(
        [
          `  load: ${samples.length} requests in ${Math.round(seconds)} s ` +
            `(${perSecond("read")} reads/s, ${perSecond("write")} writes/s)`,
          `  reads:  ${tally(samples.filter((s) => s.kind === "read"))}`,
          `  writes: ${tally(samples.filter((s) => s.kind === "write"))}`,
          `  longest request: ${Math.round(longest.ms)} ms (${longest.kind}, ${longest.status} ${longest.code ?? ""}); bound ${BOUND_MS} ms`,
          ...faults.map(
            (f) =>
              `  ${f.name}: ${tally(samples.filter((s) => within(s, f.began, Number.isNaN(f.recoveredAt) ? loadEnd : f.recoveredAt)))}; ` +
              (Number.isNaN(f.recoveredAt)
                ? "not recovered"
                : `recovered ${Math.round(f.recoveredAt - f.ended)} ms after it ended`),
          ),
          `  after recovery: ${afterRecovery.length} requests, ${failedAfterRecovery.length} not 2xx`,
          ...failedAfterRecovery.slice(0, 10).map((s) => `    ${describeLate(s)}`),
          `  acknowledged writes: ${acknowledged.length}, not in the events table: ${notInLog}; ` +
            `relay ${relayDone ? `caught up with the log ${Math.round(relayMs)} ms after the load` : "not caught up within 20 s"}`,
          `  events the worker's subscribers dead-lettered: ${givenUp}`,
          `  error-level log lines: serve ${serveErrors.length}, worker ${workerErrors.length} ` +
            `(${[...new Set(workerErrors.map((l) => l.msg))].join("; ")})`,
          ...unrecovered.map((line) => `  not recovered within ${RECOVERY_MS} ms: ${line}`),
          `  processes exited: ${exits.length === 0 ? "none" : exits.join(", ")}; file ran ${Math.round((performance.now() - testStarted) / 1000)} s`,
        ].join("\n"),
      );

      assert.equal(exits, [], "serve and worker never exit");
      assert.equal(unrecovered, [], `every fault was followed by recovery within ${RECOVERY_MS} ms`);
      assert.is(faults.length, CUTS + TERMINATIONS, "every fault was injected");
      assert.is(samples.filter((s) => s.status === 500).length, 0, "no 500");
      assert.equal(
        tally(samples.filter((s) => ![200, 201, 503].includes(s.status))),
        "",
        "every answer is a success or a 503",
      );
      assert.is(
        badUnavailable.length,
        0,
        `every 503 is SERVICE_UNAVAILABLE with Retry-After: ${tally(badUnavailable)}`,
      );
      assert.ok(longest.ms <= BOUND_MS, `the longest request took ${Math.round(longest.ms)} ms`);
      if (CUTS > 0) assert.ok(unavailable.length > 0, "the cuts were seen as 503s");
      assert.is(failedAfterRecovery.length, 0, "once recovered, every request succeeds");
      assert.ok(acknowledged.length > 0);
      assert.is(notInLog, 0, "every acknowledged write is in the log");
      assert.ok(relayDone, "the worker's relay publishes the whole log");
    } finally {
      await stack.stop();
    }
  },
);

test.run();
