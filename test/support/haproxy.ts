/**
 * A real HAProxy (Debian's package; .ci/run installs it) in front of keel processes on loopback, with
 * the settings of deploy/compose/haproxy.cfg: round robin, /health/ready checked on every server, a
 * connection failure retried once elsewhere and nothing else retried. Started in the foreground by
 * the test and stopped by its PID; its stats page says which servers it sends traffic to.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { eventually } from "./eventually.js";
import { freePort } from "./free-port.js";
import { decide, type ServiceDecision } from "./services.js";

const run = promisify(execFile);

/** Whether haproxy is installed: skipped locally without it, required under CI=true. */
export function haproxyDecision(): Promise<ServiceDecision> {
  return decide("haproxy", async () => {
    await run("haproxy", ["-v"]);
  });
}

export interface HaproxyOptions {
  /** Ports of the keel serve processes on 127.0.0.1, in order: servers s1, s2, … */
  readonly servers: readonly number[];
  /** Health-check interval, in ms; a server is out after `fall` failures and back after `rise` successes. */
  readonly interMs: number;
  readonly fall: number;
  readonly rise: number;
}

export interface ServerStat {
  readonly name: string;
  /** UP, DOWN, "UP 1/2" (going down), "DOWN 1/2" (coming up), MAINT… */
  readonly status: string;
  /** Requests sent to it so far. */
  readonly sessions: number;
}

export class Haproxy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
    private readonly statsUrl: string,
    private output: () => string,
  ) {}

  static async start(options: HaproxyOptions): Promise<Haproxy> {
    const [port, statsPort] = [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), "keel-haproxy-"));
    const config = join(dir, "haproxy.cfg");
    writeFileSync(
      config,
      [
        "global",
        "    maxconn 4000",
        "    log stdout format raw local0 info",
        "defaults",
        "    mode http",
        "    log global",
        // Each server going down or up, with the check's reason: what the test prints when it fails.
        "    option log-health-checks",
        "    option forwardfor",
        "    retries 1",
        "    option redispatch 1",
        "    timeout connect 2s",
        "    timeout client 30s",
        "    timeout server 30s",
        "    timeout http-keep-alive 10s",
        // A probe may take as long as keel's readiness bounds its checks (2 s); the default is inter.
        "    timeout check 2s",
        "frontend api",
        `    bind 127.0.0.1:${port}`,
        "    default_backend serve",
        "backend serve",
        "    balance roundrobin",
        "    option httpchk GET /health/ready",
        "    http-check expect status 200",
        `    default-server inter ${options.interMs}ms fall ${options.fall} rise ${options.rise}`,
        ...options.servers.map((p, i) => `    server s${i + 1} 127.0.0.1:${p} check`),
        "frontend stats",
        `    bind 127.0.0.1:${statsPort}`,
        "    stats enable",
        "    stats uri /stats",
        "",
      ].join("\n"),
    );
    await run("haproxy", ["-c", "-q", "-f", config]);
    const child = spawn("haproxy", ["-db", "-f", config], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    const haproxy = new Haproxy(
      child,
      dir,
      `http://127.0.0.1:${port}`,
      `http://127.0.0.1:${statsPort}/stats;csv`,
      () => out,
    );
    try {
      await eventually(
        "HAProxy's stats page",
        () => haproxy.servers().catch(() => []),
        (s) => s.length > 0,
        5000,
      );
    } catch (error) {
      await haproxy.stop();
      throw new Error(`${error instanceof Error ? error.message : error}\nhaproxy: ${out}`);
    }
    return haproxy;
  }

  /** The backend's servers as HAProxy sees them now. */
  async servers(): Promise<ServerStat[]> {
    const csv = await (await fetch(this.statsUrl, { signal: AbortSignal.timeout(2000) })).text();
    const [header = "", ...rows] = csv.trim().split("\n");
    const columns = header.replace(/^# /, "").split(",");
    const at = (row: string[], name: string) => row[columns.indexOf(name)] ?? "";
    return rows
      .map((line) => line.split(","))
      .filter((row) => at(row, "pxname") === "serve" && /^s\d+$/.test(at(row, "svname")))
      .map((row) => ({
        name: at(row, "svname"),
        status: at(row, "status"),
        sessions: Number(at(row, "stot")),
      }));
  }

  /** Waits until HAProxy sends traffic to every server (each UP), at most `timeoutMs`. */
  async allUp(timeoutMs = 15_000): Promise<ServerStat[]> {
    return eventually(
      "every server UP in HAProxy",
      () => this.servers(),
      (s) => s.every((server) => server.status === "UP"),
      timeoutMs,
    );
  }

  log(): string {
    return this.output();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, "exit");
      this.child.kill("SIGTERM");
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
