/**
 * `npm test`: every test file, as uvu runs them, in less wall-clock time. Most suites wait on I/O (a
 * database, a child process, a socket), so they run in two uvu processes side by side; the fault and
 * scale-out suites then run alone, because what they assert — latency bounds while a dependency is
 * cut, throughput behind a load balancer — is exactly what a second process beside them would disturb.
 * Each process ends with the secrets scan, which reads what that process's suites recorded. The run
 * ends with uvu's totals summed over the processes, in uvu's own words, so `.ci/run` reads it as before.
 * Under c8 the child processes report coverage too (they inherit NODE_V8_COVERAGE).
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./child-process.js";

const TESTS = join(ROOT, "test");
const SECRETS_SCAN = "zz-secrets-scan.test.ts";
/** Suites whose assertions are about behaviour under load: run with nothing else beside them. */
const ALONE = /^(fault|scale)\//;
const PARALLEL = 2;

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return /\.test\.ts$/.test(name) ? [relative(TESTS, path)] : [];
  });
}

const literally = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Outcome {
  readonly output: string;
  readonly code: number;
}

/** One uvu process over exactly these files (and the secrets scan, last, as in a single run). */
function uvu(files: readonly string[]): Promise<Outcome> {
  const pattern = `^(${[...files, SECRETS_SCAN].map(literally).join("|")})$`;
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/uvu-run.ts", "test", pattern], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on("close", (code, signal) => resolve({ output, code: code ?? (signal ? 1 : 0) }));
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: uvu colours its totals
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

function count(output: string, label: string): number {
  const found = [...plain(output).matchAll(new RegExp(`${label}:\\s+(\\d+)`, "g"))];
  return Number(found.at(-1)?.[1] ?? 0);
}

const all = testFiles(TESTS)
  .filter((file) => file !== SECRETS_SCAN)
  .sort((a, b) => a.localeCompare(b));
const alone = all.filter((file) => ALONE.test(file));
const shared = all.filter((file) => !ALONE.test(file));
// Neighbouring files are alike (one folder, one kind of setup), so dealing them out in turn balances the shards.
const shards = Array.from({ length: PARALLEL }, (_, i) => shared.filter((_, j) => j % PARALLEL === i));

const started = Date.now();
const outcomes: Outcome[] = [];
for (const outcome of await Promise.all(shards.map(uvu))) {
  process.stdout.write(outcome.output);
  outcomes.push(outcome);
}
const last = await uvu(alone);
process.stdout.write(last.output);
outcomes.push(last);

const total = outcomes.reduce((sum, outcome) => sum + count(outcome.output, "Total"), 0);
const passed = outcomes.reduce((sum, outcome) => sum + count(outcome.output, "Passed"), 0);
const skipped = outcomes.reduce((sum, outcome) => sum + count(outcome.output, "Skipped"), 0);
const failedProcesses = outcomes.filter((outcome) => outcome.code !== 0).length;
process.stdout.write(
  `\n  All ${outcomes.length} test processes (${shards.length} side by side, then fault and scale alone), ${Math.round((Date.now() - started) / 1000)} s\n` +
    `  Total:     ${total}\n  Passed:    ${passed}\n  Skipped:   ${skipped}\n`,
);
// A process that failed without a failed test (a hook, a crash) still fails the run.
process.exitCode = failedProcesses > 0 || passed < total ? 1 : 0;
