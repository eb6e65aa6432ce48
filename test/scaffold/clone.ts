import { execFile } from "node:child_process";
import { appendFile, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/child-process.js";
import { recordOutput } from "../support/output-record.js";

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A fresh clone of this repository's HEAD in a temporary directory, its node_modules linked from the
 * repository (so nothing is installed): where `keel new` is tried as a team would try it.
 */
export interface Clone {
  readonly dir: string;
  /** Runs a program in the clone; rejects, with everything it printed, unless it exits 0. */
  run(program: string, args: readonly string[]): Promise<Ran>;
  /** Runs it and resolves whatever its exit code. */
  attempt(program: string, args: readonly string[]): Promise<Ran>;
  /** `keel <args>` through the clone's own bin/keel.mjs, as `npx keel` runs it. */
  keel(...args: string[]): Promise<Ran>;
  /** `git status --porcelain`, one entry a line, untracked files listed one by one. */
  status(): Promise<string[]>;
  remove(): Promise<void>;
}

export async function cloneRepository(): Promise<Clone> {
  const dir = await mkdtemp(join(tmpdir(), "keel-clone-"));
  const attempt = (program: string, args: readonly string[]) => runIn(dir, program, args);
  const run = async (program: string, args: readonly string[]) => {
    const ran = await attempt(program, args);
    if (ran.code !== 0)
      throw new Error(
        `in ${dir}: ${program} ${args.join(" ")} exited ${ran.code}\n--- stdout\n${tail(ran.stdout)}\n--- stderr\n${tail(ran.stderr)}`,
      );
    return ran;
  };
  await runIn(ROOT, "git", ["clone", "--quiet", ROOT, dir]).then((ran) => {
    if (ran.code !== 0) throw new Error(`git clone of ${ROOT} failed: ${ran.stderr}`);
  });
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
  // .gitignore's `node_modules/` names a directory, not this link; the clone's own exclude file hides
  // it without changing anything git tracks.
  await appendFile(join(dir, ".git/info/exclude"), "/node_modules\n");
  return {
    dir,
    run,
    attempt,
    keel: (...args) => run(process.execPath, ["bin/keel.mjs", ...args]),
    status: async () =>
      (await run("git", ["status", "--porcelain", "--untracked-files=all"])).stdout
        .split("\n")
        .filter((line) => line.length > 0),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The clone's processes get this process's environment (CI=true included: the clone's suites then
 * require PostgreSQL as this one does) without c8's coverage directory, whose figures are this
 * repository's, and without colours, so their output reads as text.
 */
function runIn(cwd: string, program: string, args: readonly string[]): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" };
  delete env.NODE_V8_COVERAGE;
  return new Promise((resolve) => {
    execFile(program, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      recordOutput(`${program} ${args.join(" ")} in a clone`, `${stdout}${stderr}`);
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

function tail(text: string): string {
  return text.length > 6000 ? `…${text.slice(-6000)}` : text;
}

/** A promise whose failure waits for whoever awaits it, rather than crashing the process meanwhile. */
export function settled<T>(promise: Promise<T>): () => Promise<T> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return async () => {
    const result = await outcome;
    if ("error" in result) throw result.error;
    return result.value;
  };
}
