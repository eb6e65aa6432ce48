import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { recordOutput } from "./output-record.js";

export const ROOT = resolve(import.meta.dirname, "../..");

export interface Spawned {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited(): Promise<number | string>;
}

/** Runs a TypeScript entry point under tsx from the repository root, collecting its output (and feeding `input`). */
export function spawnTs(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { readonly input?: string } = {},
): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: ROOT,
    env,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  recordOutput(`${entry} stdout`, () => out);
  recordOutput(`${entry} stderr`, () => err);
  const exit = once(child, "exit").then(([code, signal]) => (code ?? signal) as number | string);
  return { child, stdout: () => out, stderr: () => err, exited: () => exit };
}

/** Waits until the output matches, failing after `timeoutMs` with what was printed. */
export async function waitForOutput(
  spawned: Spawned,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(spawned.stdout());
    if (match !== null) return match;
    if (spawned.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${pattern} in output.\nstdout: ${spawned.stdout()}\nstderr: ${spawned.stderr()}`);
    }
    await new Promise((done) => setTimeout(done, 25));
  }
}

/** The environment of this process without keel's own keys, so a developer's shell cannot leak in. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.includes("__") && key !== "APP_ENV" && key !== "ALLOW_MEMORY_ADAPTERS") env[key] = value;
  }
  return { ...env, ...extra };
}

/** What production requires beyond a database: a token-signing secret of its own (tests only). */
export const PRODUCTION_SECRETS = {
  AUTH__JWT_SECRET: "test-only-production-token-secret-0123456789",
} as const;
