/**
 * A benchmark scenario: one file under test/bench that run.ts lists. It prints its own report and
 * returns the figures run.ts writes to bench-results/<name>.json, next to the machine and parameters.
 */
import type { BenchParams } from "./params.js";

export interface Scenario {
  /** Also the result file's name. */
  readonly name: string;
  readonly description: string;
  /** Throws when a run cannot be trusted; resolves undefined when BENCH_ONLY selected none of its targets. */
  run(params: BenchParams): Promise<ScenarioOutcome | undefined>;
}

export interface ScenarioOutcome {
  /** JSON-serialisable figures. */
  readonly result: Readonly<Record<string, unknown>>;
}
