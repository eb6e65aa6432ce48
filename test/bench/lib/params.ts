/** Benchmark parameters, read once from the environment so every scenario runs with the same load. */
export interface BenchParams {
  /** Seconds of each measured run (`BENCH_DURATION`). */
  readonly durationSec: number;
  /** Seconds of the unrecorded run before each measured one, so JIT and caches are warm (`BENCH_WARMUP`). */
  readonly warmupSec: number;
  /** Concurrent connections (`BENCH_CONNECTIONS`). */
  readonly connections: number;
  /** Requests in flight per connection (`BENCH_PIPELINING`). */
  readonly pipelining: number;
  /** Target names to run (`BENCH_ONLY=node,koa`); undefined runs every target. */
  readonly onlyTargets: readonly string[] | undefined;
  /** Scenario names to run (`BENCH_SCENARIOS=http-read`); undefined runs every scenario. */
  readonly onlyScenarios: readonly string[] | undefined;
}

export function readParams(env: NodeJS.ProcessEnv = process.env): BenchParams {
  return {
    durationSec: integer(env, "BENCH_DURATION", 10, 1),
    warmupSec: integer(env, "BENCH_WARMUP", 3, 0),
    connections: integer(env, "BENCH_CONNECTIONS", 50, 1),
    pipelining: integer(env, "BENCH_PIPELINING", 1, 1),
    onlyTargets: list(env.BENCH_ONLY),
    onlyScenarios: list(env.BENCH_SCENARIOS),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  // A mistyped parameter must stop the run: results measured with a silently different load mislead.
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function list(raw: string | undefined): readonly string[] | undefined {
  const names = (raw ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return names.length === 0 ? undefined : names;
}
