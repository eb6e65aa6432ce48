/**
 * The coverage gate of `make test`: reads c8's `coverage/coverage-summary.json` (the `json-summary`
 * reporter, configured in .c8rc.json), prints ONE line with the line coverage overall and of the
 * three directories that carry the business rules and the public contract, and — when CI=true, as
 * in .ci/run — exits 1 if any is below its threshold, naming it. Without CI=true it only reports: a
 * machine without PostgreSQL, Redis or NATS skips the service-backed suites, so its figures are
 * lower through no fault of the code.
 *
 * c8 checks thresholds globally or per file only; the per-directory sums are made here from the
 * per-file counts, so a directory's figure is its covered lines over its lines, not a mean of files.
 */
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { servicesRequired } from "./services.js";

export interface LineCounts {
  readonly total: number;
  readonly covered: number;
}

/** c8's json-summary: one entry per file (absolute path) and one named "total". */
export type CoverageSummary = Readonly<Record<string, { readonly lines: LineCounts }>>;

export interface Threshold {
  /** How the summary line names it. */
  readonly label: string;
  /**
   * Directories relative to the repository root, a `*` segment standing for any one folder name
   * (every context's HTTP adapters: src/adapters, any folder, http); undefined for every counted file.
   */
  readonly directories: readonly string[] | undefined;
  /** The least line coverage, in percent. */
  readonly minimum: number;
}

/** Issue 12's thresholds. Lower none of them: write the tests instead. */
export const THRESHOLDS: readonly Threshold[] = [
  { label: "overall", directories: undefined, minimum: 80 },
  { label: "domain", directories: ["src/domain"], minimum: 95 },
  { label: "application", directories: ["src/application"], minimum: 90 },
  // The foundation's HTTP adapter and each context's routes.
  { label: "http", directories: ["src/adapters/http", "src/adapters/*/http"], minimum: 90 },
];

export interface Figure {
  readonly threshold: Threshold;
  readonly counts: LineCounts;
  /** Percent of lines covered; NaN when the directory has no counted line (a wrong path). */
  readonly percent: number;
  readonly below: boolean;
}

export function figures(summary: CoverageSummary, root: string, thresholds = THRESHOLDS): Figure[] {
  return thresholds.map((threshold) => {
    const counts =
      threshold.directories === undefined
        ? (summary.total?.lines ?? { total: 0, covered: 0 })
        : sum(summary, root, threshold.directories);
    const percent = counts.total === 0 ? Number.NaN : (100 * counts.covered) / counts.total;
    return { threshold, counts, percent, below: !(percent >= threshold.minimum) };
  });
}

function sum(summary: CoverageSummary, root: string, directories: readonly string[]): LineCounts {
  const within = directories.map((directory) => `^${directory.split("*").map(escaped).join("[^/]+")}/`);

  let total = 0;
  let covered = 0;
  for (const [file, entry] of Object.entries(summary)) {
    if (file === "total") continue;
    const path = relative(root, file).split(sep).join("/");
    if (!within.some((pattern) => new RegExp(pattern).test(path))) continue;
    total += entry.lines.total;
    covered += entry.lines.covered;
  }
  return { total, covered };
}

function escaped(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * One decimal, rounded down, so a printed 95.0% never hides a 94.97% that fails the gate.
 * A directory with no counted line prints as "none".
 */
function shown(percent: number): string {
  return Number.isNaN(percent) ? "none" : `${(Math.floor(percent * 10) / 10).toFixed(1)}%`;
}

/** The one line, e.g. "coverage: lines 86.1% overall, domain 97.0%, … (thresholds 80/95/90/90)". */
export function summaryLine(all: readonly Figure[]): string {
  const [overall, ...directories] = all;
  const thresholds = all.map((figure) => figure.threshold.minimum).join("/");
  const line = `coverage: lines ${overall === undefined ? "none" : shown(overall.percent)} overall, ${directories
    .map((figure) => `${figure.threshold.label} ${shown(figure.percent)}`)
    .join(", ")} (thresholds ${thresholds})`;
  const below = all.filter((figure) => figure.below);
  if (below.length === 0) return line;
  const named = below.map(
    (figure) =>
      `${figure.threshold.directories?.join(", ") ?? "overall"} ${shown(figure.percent)} < ${figure.threshold.minimum}%`,
  );
  return `${line}; below threshold: ${named.join(", ")}`;
}

async function main(): Promise<number> {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const enforce = servicesRequired();
  let summary: CoverageSummary;
  try {
    summary = JSON.parse(readFileSync(join(root, "coverage", "coverage-summary.json"), "utf8"));
  } catch (error) {
    console.log(
      `coverage: no report in coverage/coverage-summary.json (${error instanceof Error ? error.message : String(error)})`,
    );
    return enforce ? 1 : 0;
  }
  const all = figures(summary, root);
  console.log(summaryLine(all));
  return enforce && all.some((figure) => figure.below) ? 1 : 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main();
}
