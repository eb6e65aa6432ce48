/**
 * Cold start of `keel serve` as deployed: compiled (`dist/`, built first), plain `node`, no tsx. Each
 * run is a new process; the figures are the time from spawn to the first 200 of /health/ready, and
 * the process's resident memory (VmRSS) right then. Goal from the issue: with in-memory adapters,
 * ready within 400 ms and under 100 MiB. The embedded database (PGlite) is measured too, without a
 * goal: its data directory is made by one unmeasured start (initdb and migrations, reported on its
 * own), and each measured run starts on it again, as a restart does.
 *
 * Environment: BENCH_STARTUP_RUNS (7) starts per target, medians reported; BENCH_ONLY=memory,pglite.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PRODUCTION_SECRETS } from "../support/child-process.js";
import { registerCleanup } from "./lib/cleanup.js";
import { progress } from "./lib/http-targets.js";
import { round } from "./lib/measure.js";
import type { BenchParams } from "./lib/params.js";
import { table } from "./lib/report.js";
import type { Scenario, ScenarioOutcome } from "./lib/scenario.js";
import { freePort, REPO_ROOT } from "./lib/spawn-server.js";

const CLI = join(REPO_ROOT, "dist/src/bootstrap/cli.js");
const GOAL = { readyMs: 400, rssMiB: 100 } as const;
const START_TIMEOUT_MS = 60_000;

/**
 * The production profile with the in-memory adapters, tracing off (the other scenarios' choice too: an
 * exporter with no collector would be measured), no bootstrap admin (hashing its password is a cost of
 * that setting, not of starting), logs at info to a pipe the harness drains.
 */
const MEMORY_ENV = {
  ...PRODUCTION_SECRETS,
  APP_ENV: "production",
  ALLOW_MEMORY_ADAPTERS: "true",
  PERSISTENCE__DRIVER: "memory",
  EVENT_BUS__DRIVER: "memory",
  RATE_LIMIT__STORE: "memory",
  MAIL__DRIVER: "log",
  TRACING__ENABLED: "false",
  LOG__LEVEL: "info",
  HTTP__HOST: "127.0.0.1",
} as const;

interface Target {
  readonly name: string;
  readonly description: string;
  /** Goals apply to this target (the in-memory one). */
  readonly judged: boolean;
  /** Prepares what the runs share; returns their environment and the cleanup. */
  prepare(): Promise<{
    readonly env: Record<string, string>;
    readonly first?: Start;
    cleanup(): Promise<void>;
  }>;
}

interface Start {
  readonly readyMs: number;
  readonly rssMiB: number;
}

const targets: readonly Target[] = [
  {
    name: "memory",
    description: "keel serve from dist/, production profile, in-memory adapters",
    judged: true,
    async prepare() {
      return { env: { ...MEMORY_ENV }, cleanup: async () => {} };
    },
  },
  {
    name: "pglite",
    description: "keel serve from dist/, production profile, embedded PGlite on an existing data directory",
    judged: false,
    async prepare() {
      const root = await mkdtemp(join(tmpdir(), "keel-bench-startup-"));
      const cleanup = registerCleanup(() => rm(root, { recursive: true, force: true }));
      const env = {
        ...MEMORY_ENV,
        ALLOW_EMBEDDED_DATABASE: "true",
        PERSISTENCE__DRIVER: "pglite",
        // The first start migrates; the measured ones find nothing pending, as a restart does.
        DATABASE__MIGRATE_ON_START: "true",
        PGLITE__DATA_DIR: join(root, "pglite"),
      };
      try {
        // The first start creates the database and migrates it: reported, not part of the medians.
        return { env, first: await startOnce(env), cleanup };
      } catch (error) {
        await cleanup();
        throw error;
      }
    },
  },
];

export const startup: Scenario = {
  name: "startup",
  description: "cold start of keel serve from dist/: spawn to /health/ready 200, and RSS then",
  async run(params: BenchParams): Promise<ScenarioOutcome | undefined> {
    const only = params.onlyTargets;
    const selected = only === undefined ? targets : targets.filter((target) => only.includes(target.name));
    if (selected.length === 0) return undefined;
    const runs = runCount();
    progress("startup: building dist/ (npm run build)");
    execFileSync("npm", ["run", "--silent", "build"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });

    const results = [];
    for (const target of selected) {
      progress(`startup: ${target.name}, ${runs} starts`);
      const prepared = await target.prepare();
      try {
        const starts: Start[] = [];
        for (let run = 0; run < runs; run += 1) starts.push(await startOnce(prepared.env));
        results.push({
          name: target.name,
          description: target.description,
          runs,
          readyMsMedian: median(starts.map((start) => start.readyMs)),
          rssMiBMedian: median(starts.map((start) => start.rssMiB)),
          readyMs: starts.map((start) => start.readyMs),
          rssMiB: starts.map((start) => start.rssMiB),
          ...(prepared.first === undefined ? {} : { firstStart: prepared.first }),
          ...(target.judged ? { goal: GOAL } : {}),
        });
      } finally {
        await prepared.cleanup();
      }
    }

    const verdicts = results.flatMap((result) =>
      result.goal === undefined
        ? []
        : [
            verdict(`${result.name} ready`, result.readyMsMedian, GOAL.readyMs, "ms"),
            verdict(`${result.name} RSS after start`, result.rssMiBMedian, GOAL.rssMiB, "MiB"),
          ],
    );
    const lines = [
      "",
      this.description,
      "",
      table(
        ["target", "ready ms (median)", "RSS MiB (median)", "ready ms (each run)", "first start"],
        results.map((result) => [
          result.name,
          result.readyMsMedian.toFixed(0),
          result.rssMiBMedian.toFixed(1),
          result.readyMs.map((ms) => ms.toFixed(0)).join(" "),
          result.firstStart === undefined
            ? ""
            : `${result.firstStart.readyMs.toFixed(0)} ms, ${result.firstStart.rssMiB.toFixed(1)} MiB`,
        ]),
      ),
      "",
      ...verdicts.map((v) => v.line),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return { result: { targets: results, goals: verdicts.map(({ line: _line, ...v }) => v) } };
  },
};

function runCount(): number {
  const raw = process.env.BENCH_STARTUP_RUNS ?? "7";
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`BENCH_STARTUP_RUNS must be an integer >= 1, got "${raw}"`);
  return runs;
}

function verdict(name: string, actual: number, max: number, unit: string) {
  const met = actual <= max;
  return {
    name,
    actual,
    max,
    met,
    line: `Target (${name} at most ${max} ${unit}): ${met ? "REACHED" : "NOT REACHED"} (${actual.toFixed(unit === "ms" ? 0 : 1)} ${unit})`,
  };
}

/** One process: spawned, timed to its first ready 200, its RSS read, then stopped with SIGTERM. */
async function startOnce(env: Record<string, string>): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, "serve"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, HTTP__PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const kill = registerCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  let output = "";
  // Drained, or a full pipe would hold keel's writes; the tail explains a failed start.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4096);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  try {
    await untilReady(child, port, started);
    const readyMs = performance.now() - started;
    const rssMiB = await residentMiB(child.pid);
    return { readyMs: round(readyMs, 1), rssMiB: round(rssMiB, 1) };
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- output ---\n${output}`);
  } finally {
    await stop(child);
    await kill();
  }
}

/**
 * Polls GET /health/ready every 2 ms: a refused connection (not listening yet) or a 503 (listening,
 * still starting) tries again. Raw node:http without keep-alive, so the probe costs the child little.
 */
async function untilReady(child: ChildProcess, port: number, started: number): Promise<void> {
  while (performance.now() - started < START_TIMEOUT_MS) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`keel exited before it was ready (code ${child.exitCode}, signal ${child.signalCode})`);
    if ((await probe(port)) === 200) return;
    await sleep(2);
  }
  throw new Error(`keel was not ready after ${START_TIMEOUT_MS} ms`);
}

function probe(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/health/ready", agent: false }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode));
    });
    req.once("error", () => resolve(undefined));
    req.end();
  });
}

/** VmRSS of a process, from /proc (Linux): what the kernel counts as its resident memory. */
async function residentMiB(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kib) / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return round(value ?? 0, 1);
}
