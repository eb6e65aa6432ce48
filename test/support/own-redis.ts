import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";
import { decide, type ServiceDecision } from "./services.js";

const REDIS_SERVER = "redis-server";

/** Whether a test may start a Redis of its own: skipped locally without redis-server, required under CI=true. */
export function ownRedisDecision(): Promise<ServiceDecision> {
  return decide("redis-server", async () => {
    await promisify(execFile)(REDIS_SERVER, ["--version"]);
  });
}

/**
 * A redis-server of the test's own on a free loopback port, without persistence, so a test can
 * stop it (SIGSTOP: a hung server whose sockets stay open) and never touch the shared one.
 */
export class OwnRedis {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly output: () => string,
  ) {}

  static async start(timeoutMs = 10_000): Promise<OwnRedis> {
    const port = await freePort();
    const child = spawn(
      REDIS_SERVER,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const redis = new OwnRedis(child, port, () => output);
    const deadline = Date.now() + timeoutMs;
    while (!output.includes("Ready to accept connections")) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await redis.stop();
        throw new Error(`redis-server on port ${port} did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`redis-server did not start:\n${this.output()}`);
    return this.child.pid;
  }

  /** Freezes the server: connections stay open, nothing is answered. */
  pause(): void {
    process.kill(this.pid, "SIGSTOP");
  }

  resume(): void {
    process.kill(this.pid, "SIGCONT");
  }

  /** Kills this server (by its PID, resumed first so the kill is not held) and waits for it to end. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, "exit");
    if (this.child.pid !== undefined) {
      process.kill(this.child.pid, "SIGCONT");
      process.kill(this.child.pid, "SIGKILL");
    }
    await exited;
  }
}
