import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";
import { decide, type ServiceDecision } from "./services.js";

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? "/usr/sbin/nats-server";

/** Whether a test may start a NATS server of its own: skipped locally without one, required under CI=true. */
export function ownNatsDecision(): Promise<ServiceDecision> {
  return decide("nats-server", async () => {
    await promisify(execFile)(NATS_SERVER, ["--version"]);
  });
}

/**
 * A nats-server of the test's own, with JetStream, on a free loopback port and a store directory of
 * its own, so a test can stop it and start it again (the same port and store, optionally requiring a
 * token the clients do not have) without ever touching the shared server.
 */
export class OwnNats {
  private child: ChildProcess | undefined;
  private output = "";

  private constructor(
    readonly port: number,
    private readonly storeDir: string,
  ) {}

  static async start(): Promise<OwnNats> {
    const nats = new OwnNats(await freePort(), await mkdtemp(join(tmpdir(), "keel-own-nats-")));
    try {
      await nats.restart();
    } catch (error) {
      await nats.stop();
      throw error;
    }
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts the server again on the same port and store; with `token`, clients without it are refused. */
  async restart(options: { token?: string } = {}, timeoutMs = 10_000): Promise<void> {
    await this.kill();
    const args = ["-a", "127.0.0.1", "-p", String(this.port), "-js", "-sd", this.storeDir];
    if (options.token !== undefined) args.push("--auth", options.token);
    const child = spawn(NATS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.output = "";
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes("Server is ready")) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.kill();
        throw new Error(`nats-server on port ${this.port} did not start:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Kills this server (by its own PID) and waits for it to end; the store stays for a restart. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  }

  /** Kills the server and removes its store. */
  async stop(): Promise<void> {
    await this.kill();
    await rm(this.storeDir, { recursive: true, force: true });
  }
}
