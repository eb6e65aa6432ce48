/**
 * Runs HTTP targets one after another — start, check the answer, warm up, measure, stop — so only one
 * server and the load generator share the machine at any time (the CI machine has two cores).
 */
import type { Measurement, RequestShape } from "./measure.js";
import { measure, problems } from "./measure.js";
import type { BenchParams } from "./params.js";
import type { RunningServer } from "./spawn-server.js";

export interface HttpTarget {
  /** Short name used in tables, ratios and BENCH_ONLY. */
  readonly name: string;
  readonly description: string;
  /** Starts (and seeds, if needed) the server; resolves once the URL can be loaded. */
  start(): Promise<StartedTarget>;
}

export interface StartedTarget {
  /** Full URL autocannon loads. */
  readonly url: string;
  readonly request?: RequestShape;
  readonly server: RunningServer;
  /**
   * The `Authorization` header value the target's writes carry (keel's bench admin, see auth.ts), for
   * the check to send as the load does; absent for targets that take no credentials (the baselines).
   */
  readonly authorization?: string;
}

export interface TargetResult extends Measurement {
  readonly name: string;
  readonly description: string;
  readonly path: string;
}

/** Targets BENCH_ONLY selects, in the order given by the scenario. */
export function selectTargets(targets: readonly HttpTarget[], params: BenchParams): HttpTarget[] {
  const only = params.onlyTargets;
  return only === undefined ? [...targets] : targets.filter((target) => only.includes(target.name));
}

/**
 * `check` runs once per target before any load: a target answering the wrong thing (a 404, another
 * body) would otherwise be measured and compared as if it were doing the same work.
 */
export async function measureTargets(
  targets: readonly HttpTarget[],
  params: BenchParams,
  check: (target: StartedTarget) => Promise<void>,
): Promise<TargetResult[]> {
  const load = {
    durationSec: params.durationSec,
    connections: params.connections,
    pipelining: params.pipelining,
  };
  const results: TargetResult[] = [];
  for (const target of targets) {
    progress(`${target.name}: starting`);
    const started = await target.start();
    try {
      await check(started);
      if (params.warmupSec > 0) {
        progress(`${target.name}: warming up for ${params.warmupSec} s`);
        const warmup = await measure(
          started.url,
          { ...load, durationSec: params.warmupSec },
          started.request,
        );
        assertClean(`${target.name} (warm-up)`, warmup, started.server);
      }
      progress(`${target.name}: measuring for ${params.durationSec} s`);
      const measured = await measure(started.url, load, started.request);
      assertClean(target.name, measured, started.server);
      results.push({
        name: target.name,
        description: target.description,
        path: new URL(started.url).pathname,
        ...measured,
      });
    } finally {
      await started.server.stop();
    }
  }
  return results;
}

function assertClean(label: string, measurement: Measurement, server: RunningServer): void {
  const found = problems(measurement);
  if (found.length === 0) return;
  throw new Error(
    `${label}: the run is not a valid measurement: ${found.join("; ")}\n` +
      `--- last output of ${server.name} ---\n${server.outputTail()}`,
  );
}

/** Progress goes to stderr so stdout holds only the report. */
export function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}
