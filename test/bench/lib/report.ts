/** Printing and recording results: a table for people, a JSON file for comparing runs over time. */
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import type { TargetResult } from "./http-targets.js";
import { round } from "./measure.js";
import type { BenchParams } from "./params.js";
import { REPO_ROOT } from "./spawn-server.js";

export const RESULTS_DIR = join(REPO_ROOT, "bench-results");

/** numerator / denominator, for req/s (higher is better) and latency (higher is worse). */
export interface Ratio {
  readonly name: string;
  readonly reqPerSec: number;
  readonly p50: number;
  readonly p99: number;
}

/** A throughput goal: `numerator` must reach `min` times the req/s of `denominator`. */
export interface Goal {
  readonly numerator: string;
  readonly denominator: string;
  readonly min: number;
}

export interface GoalVerdict extends Goal {
  /** null when one of the two targets did not run (BENCH_ONLY). */
  readonly actual: number | null;
  readonly met: boolean | null;
}

/** Ratios for the pairs whose targets both ran. */
export function ratios(
  results: readonly TargetResult[],
  pairs: readonly (readonly [string, string])[],
): Ratio[] {
  const found: Ratio[] = [];
  for (const [numerator, denominator] of pairs) {
    const top = results.find((r) => r.name === numerator);
    const bottom = results.find((r) => r.name === denominator);
    if (top === undefined || bottom === undefined) continue;
    found.push({
      name: `${numerator}/${denominator}`,
      reqPerSec: round(top.reqPerSec / bottom.reqPerSec, 3),
      p50: round(top.p50Ms / bottom.p50Ms, 3),
      p99: round(top.p99Ms / bottom.p99Ms, 3),
    });
  }
  return found;
}

export function judge(goal: Goal, results: readonly TargetResult[]): GoalVerdict {
  const [ratio] = ratios(results, [[goal.numerator, goal.denominator]]);
  if (ratio === undefined) return { ...goal, actual: null, met: null };
  return { ...goal, actual: ratio.reqPerSec, met: ratio.reqPerSec >= goal.min };
}

export function printComparison(
  title: string,
  results: readonly TargetResult[],
  found: readonly Ratio[],
  verdicts: readonly GoalVerdict[],
): void {
  const lines = [
    "",
    title,
    "",
    table(
      ["target", "req/s (mean)", "p50 ms", "p99 ms", "requests", "errors", "non-2xx"],
      results.map((r) => [
        r.name,
        r.reqPerSec.toFixed(0),
        r.p50Ms.toFixed(2),
        r.p99Ms.toFixed(2),
        String(r.totalRequests),
        String(r.errors),
        String(r.non2xx),
      ]),
    ),
    "",
  ];
  if (found.length > 0) {
    lines.push(
      table(
        ["ratio", "req/s", "p50", "p99"],
        found.map((r) => [r.name, percent(r.reqPerSec), percent(r.p50), percent(r.p99)]),
      ),
      "(req/s: higher is better; latency: lower is better)",
      "",
    );
  }
  for (const v of verdicts) lines.push(verdictLine(v));
  process.stdout.write(`${lines.join("\n")}\n`);
}

function verdictLine(v: GoalVerdict): string {
  const goal = `${v.numerator} at ${percent(v.min)} or more of ${v.denominator} req/s`;
  if (v.actual === null)
    return `Target (${goal}): not evaluated, ${v.numerator} or ${v.denominator} did not run`;
  return `Target (${goal}): ${v.met ? "REACHED" : "NOT REACHED"} (${percent(v.actual)})`;
}

export function machineInfo() {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    availableParallelism: availableParallelism(),
    totalMemoryMiB: Math.round(totalmem() / 2 ** 20),
    platform: platform(),
    osRelease: release(),
    node: process.version,
    // The machine may be shared (CI runners, other jobs): a high load explains a noisy result.
    loadAverage1m: round(loadavg()[0] ?? 0, 2),
    gitCommit: gitCommit(),
  };
}

/** Writes bench-results/<scenario>.json; returns its path. */
export async function writeResult(
  scenario: { readonly name: string; readonly description: string },
  params: BenchParams,
  result: Readonly<Record<string, unknown>>,
): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${scenario.name}.json`);
  const document = {
    scenario: scenario.name,
    description: scenario.description,
    timestamp: new Date().toISOString(),
    machine: machineInfo(),
    parameters: params,
    ...result,
  };
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

/** The commit measured, so results can be compared over time; null outside a repository with commits. */
function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
