/**
 * `make bench`: runs every scenario in sequence, prints each report and writes
 * bench-results/<scenario>.json. Exits non-zero if any run is not a valid measurement.
 *
 * Environment: BENCH_DURATION (s, 10), BENCH_WARMUP (s, 3), BENCH_CONNECTIONS (50), BENCH_PIPELINING (1),
 * BENCH_SCENARIOS=http-read,write-path to run some scenarios, BENCH_ONLY=node,koa to run some targets (e.g.
 * without keel). A partial run still writes its result file, with ratios and goals only where both sides ran.
 * The write-path scenario also reads BENCH_DATABASE_URL (the PostgreSQL server it creates its schemas on).
 * The relay scenario also needs NATS JetStream (BENCH_NATS_URL) and reads BENCH_RELAY_EVENTS, RELAY__BATCH_SIZE,
 * BENCH_E2E_RATE and BENCH_E2E_SECONDS (see relay.ts). The login scenario reads BENCH_LOGIN_CONNECTIONS (1,8)
 * and BENCH_LOGIN_USERS (8) instead of BENCH_CONNECTIONS/BENCH_PIPELINING (see login.ts).
 * The tracing scenario (keel with tracing off and on; targets read-off, read-on, write-off, write-on)
 * also needs PostgreSQL for its write targets (BENCH_DATABASE_URL), runs its own OTLP sink, and reads
 * BENCH_TRACING_ORDER (off-first, or on-first to measure each "on" target before its "off" one).
 * The startup scenario (cold start of keel serve from dist/, which it builds; targets memory and pglite)
 * reads BENCH_STARTUP_RUNS (7) and no load parameter (see startup.ts).
 * The checkout scenario (orders placed → confirmed by keel serve + keel worker) needs PostgreSQL and NATS
 * JetStream and reads BENCH_CHECKOUT_ORDERS, _CONCURRENCY, _CUSTOMERS, _PRODUCTS, _WARMUP and _SINGLE (see
 * checkout.ts). The jobs scenario (keel's JobRunner vs a plain SKIP LOCKED loop; targets plain-1, keel-1,
 * plain-2, keel-2) needs PostgreSQL and reads BENCH_JOBS and keel's JOBS__CONCURRENCY (see jobs.ts).
 *
 * Adding a scenario: write test/bench/<name>.ts exporting a Scenario and list it below.
 */
import { checkout } from "./checkout.js";
import { httpRead } from "./http-read.js";
import { jobs } from "./jobs.js";
import { runPendingCleanups } from "./lib/cleanup.js";
import { progress } from "./lib/http-targets.js";
import { readParams } from "./lib/params.js";
import { writeResult } from "./lib/report.js";
import type { Scenario } from "./lib/scenario.js";
import { killAllServersNow, stopAllServers } from "./lib/spawn-server.js";
import { login } from "./login.js";
import { relay } from "./relay.js";
import { startup } from "./startup.js";
import { tracing } from "./tracing.js";
import { writePath } from "./write-path.js";

const scenarios: readonly Scenario[] = [httpRead, writePath, relay, login, tracing, startup, checkout, jobs];

// Servers are child processes: none may outlive the harness, whatever ends it.
process.once("exit", killAllServersNow);
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping servers`);
    // Servers first: they hold what the cleanups remove (a schema's connections, a data directory).
    void stopAllServers()
      .then(() => runPendingCleanups(progress))
      .finally(() => process.exit(code));
  });
}

async function main(): Promise<void> {
  const params = readParams();
  const only = params.onlyScenarios;
  const selected = only === undefined ? scenarios : scenarios.filter((s) => only.includes(s.name));
  const unknown = only?.filter((name) => !scenarios.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown BENCH_SCENARIOS: ${unknown.join(", ")}`);

  let ran = 0;
  for (const scenario of selected) {
    const outcome = await scenario.run(params);
    if (outcome === undefined) {
      progress(`${scenario.name}: skipped, BENCH_ONLY selects none of its targets`);
      continue;
    }
    ran += 1;
    const file = await writeResult(scenario, params, outcome.result);
    process.stdout.write(`\nResult written to ${file}\n`);
  }
  // A filter that matches nothing (a typo in BENCH_ONLY) must not pass as a successful benchmark.
  if (ran === 0) throw new Error("no scenario ran: check BENCH_SCENARIOS and BENCH_ONLY");
}

try {
  await main();
} catch (error) {
  process.stderr.write(`\nbench FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAllServers();
  await runPendingCleanups(progress);
  process.exitCode = 1;
}
