/**
 * Servers under test run as child processes, so the load generator (autocannon, in the harness) never
 * shares their event loop. Every child is registered until it has exited, so the harness can kill what
 * is left on failure or Ctrl-C.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as setTimeoutPromise } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** How the harness learns that the server accepts requests. */
export type Readiness =
  /** The server prints `LISTENING <port>` on stdout (the bare servers; they may listen on port 0). */
  | { readonly kind: "stdout-line" }
  /** The harness chose `port` and polls `path` until it answers 200 (keel's readiness probe). */
  | { readonly kind: "http-ok"; readonly port: number; readonly path: string }
  /** A process without HTTP (keel worker): ready once a stdout line matches; `origin` is then empty. */
  | { readonly kind: "stdout-match"; readonly pattern: RegExp };

export interface ServerSpec {
  /** Label used in messages. */
  readonly name: string;
  /** TypeScript entry point relative to the repository root, run with `node --import tsx`. */
  readonly entry: string;
  readonly args?: readonly string[];
  /** Added to the harness's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly readiness: Readiness;
  readonly startTimeoutMs?: number;
}

export interface RunningServer {
  readonly name: string;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The stdout line that matched a `stdout-match` readiness. */
  readonly readyLine?: string;
  /** The last output lines, for failure messages. */
  outputTail(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/**
 * `BENCH_CPU_PROFILE=<dir>` runs every server under test with `--cpu-prof` into that directory (Node
 * refuses the flag in NODE_OPTIONS), so a profile comes from exactly the load a scenario applies.
 */
function profilingArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROFILE;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

export async function spawnServer(spec: ServerSpec): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [...profilingArgs(), "--import", "tsx", spec.entry, ...(spec.args ?? [])],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  live.add(child);
  child.once("exit", () => live.delete(child));
  const output = new OutputTail();
  // Draining both pipes matters: keel logs an access line per request, and a full pipe would block
  // its writes and throttle the server we are measuring.
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
  child.on("error", (error) => output.push(Buffer.from(`spawn error: ${error.message}\n`)));

  const abort = new AbortController();
  try {
    const ready = await Promise.race([
      waitReady(child, spec.readiness, abort.signal),
      exitBeforeReady(child, abort.signal),
      timeout(spec.startTimeoutMs ?? 30_000, abort.signal),
    ]);
    return {
      name: spec.name,
      origin: typeof ready === "number" ? `http://127.0.0.1:${ready}` : "",
      ...(typeof ready === "string" ? { readyLine: ready } : {}),
      outputTail: () => output.text(),
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw new Error(`${spec.name} failed to start: ${message(error)}\n--- output ---\n${output.text()}`);
  } finally {
    // Stops the losers of the race (a readiness poll, the timer) once one of them has settled it.
    abort.abort();
  }
}

/** A port that was free a moment ago, for servers (keel) that must be told which port to use. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === "string") throw new Error("could not probe a free port");
  return address.port;
}

/**
 * Runs a child to its end (a load generator, a one-off command) and resolves its stdout; rejects with
 * its output if it exits non-zero. Registered like the servers, so it cannot outlive the harness.
 */
export async function runToCompletion(spec: {
  readonly name: string;
  readonly entry: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", spec.entry, ...(spec.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...spec.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const stdout: Buffer[] = [];
  const output = new OutputTail();
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout.push(chunk);
    output.push(chunk);
  });
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), spec.timeoutMs ?? 300_000);
  try {
    const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    if (code !== 0)
      throw new Error(
        `${spec.name} failed (code ${code}, signal ${signal})\n--- output ---\n${output.text()}`,
      );
    return Buffer.concat(stdout).toString("utf8");
  } finally {
    clearTimeout(timer);
    live.delete(child);
  }
}

export async function stopAllServers(): Promise<void> {
  await Promise.all([...live].map(stopChild));
}

/** Last resort on process exit, when nothing asynchronous can run any more. */
export function killAllServersNow(): void {
  for (const child of live) child.kill("SIGKILL");
}

/** The port (HTTP readiness kinds) or the matching line (`stdout-match`). */
async function waitReady(
  child: ChildProcess,
  readiness: Readiness,
  signal: AbortSignal,
): Promise<number | string> {
  if (readiness.kind === "http-ok") {
    await pollOk(`http://127.0.0.1:${readiness.port}${readiness.path}`, signal);
    return readiness.port;
  }
  const stdout = child.stdout;
  if (stdout === null) throw new Error("stdout is not piped");
  const pattern = readiness.kind === "stdout-match" ? readiness.pattern : /^LISTENING (\d+)$/m;
  // A "data" listener rather than an async iterator: leaving an iterator destroys the stream, and the
  // pipe must stay open (and drained) for as long as the child runs.
  return new Promise<number | string>((resolve) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const match = pattern.exec(seen);
      if (match === null) return;
      stdout.off("data", onData);
      if (readiness.kind === "stdout-match") {
        // The whole line the match is on.
        const start = seen.lastIndexOf("\n", match.index) + 1;
        const end = seen.indexOf("\n", match.index);
        resolve(seen.slice(start, end === -1 ? undefined : end));
      } else resolve(Number(match[1]));
    };
    stdout.on("data", onData);
    signal.addEventListener("abort", () => stdout.off("data", onData), { once: true });
  });
}

async function pollOk(url: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const response = await fetch(url, { signal });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet, or aborted: the loop condition decides.
    }
    await setTimeoutPromise(100);
  }
}

async function exitBeforeReady(child: ChildProcess, signal: AbortSignal): Promise<never> {
  const [code, exitSignal] = await once(child, "exit", { signal });
  throw new Error(`exited before it was ready (code ${code}, signal ${exitSignal})`);
}

async function timeout(ms: number, signal: AbortSignal): Promise<never> {
  await setTimeoutPromise(ms, undefined, { signal });
  throw new Error(`not ready after ${ms} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  // A server stuck in a graceful shutdown must not hang the benchmark.
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Keeps only the last bytes of a child's output: keel's access log is far too large to hold. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = 16 * 1024) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).subarray(-this.limit).toString("utf8");
  }
}
