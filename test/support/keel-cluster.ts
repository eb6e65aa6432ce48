/**
 * keel scaled out on one machine as it is deployed: `keel migrate up` once, then several `keel serve`
 * processes (each on a fixed port, so a load balancer can be pointed at them and a restarted one comes
 * back where it was) and several `keel worker` processes, all on the real PostgreSQL, Redis and NATS.
 * Built on ProductionStack (its schema, stream, Redis database, production environment and clean-up);
 * the processes reach the services directly, not through its fault proxies, since nothing here cuts
 * a connection and the proxies would put every query of five processes through the test's own loop.
 */
import { cleanEnv, type Spawned, spawnTs, waitForOutput } from "./child-process.js";
import { freePort } from "./free-port.js";
import { NATS_URL } from "./nats.js";
import { ProductionStack } from "./production-stack.js";
import { REDIS_URL } from "./redis.js";

const SERVING = /"port":(\d+)[^\n]*"msg":"keel is serving"/;
const WORKING = /"healthPort":(\d+)[^\n]*"msg":"keel worker is running"/;

export interface ClusterOptions {
  readonly serves: number;
  readonly workers: number;
  /** Settings for every process, on top of the production stack's. */
  readonly env: Record<string, string>;
}

export interface Member {
  spawned: Spawned;
  /** serve: its API port (fixed across restarts); worker: its health port. */
  port: number;
}

export class KeelCluster {
  readonly serves: Member[] = [];
  readonly workers: Member[] = [];

  private constructor(
    readonly stack: ProductionStack,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(options: ClusterOptions): Promise<KeelCluster> {
    const stack = await ProductionStack.start({ processes: [], env: options.env });
    const env = cleanEnv({
      ...(stack.env as Record<string, string>),
      DATABASE__URL: stack.schema.url,
      NATS__URL: NATS_URL,
      REDIS__URL: `${REDIS_URL.replace(/\/\d*$/, "")}/${new URL(stack.env.REDIS__URL ?? "").pathname.slice(1)}`,
      // The migration runs once, first, as the deployment's Job does; nothing migrates on start.
      DATABASE__MIGRATE_ON_START: "false",
    });
    const cluster = new KeelCluster(stack, env);
    try {
      const migrate = spawnTs("src/bootstrap/cli.ts", ["migrate", "up"], env);
      const code = await migrate.exited();
      if (code !== 0) throw new Error(`keel migrate up exited ${code}: ${migrate.stderr()}`);
      const ports = await Promise.all(Array.from({ length: options.serves }, () => freePort()));
      await Promise.all([
        ...ports.map(async (port) => cluster.serves.push(await cluster.spawn("serve", port))),
        ...Array.from({ length: options.workers }, async () =>
          cluster.workers.push(await cluster.spawn("worker", 0)),
        ),
      ]);
      cluster.serves.sort((a, b) => ports.indexOf(a.port) - ports.indexOf(b.port));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  private async spawn(command: "serve" | "worker", port: number): Promise<Member> {
    const spawned = spawnTs(
      "src/bootstrap/cli.ts",
      [command],
      command === "serve"
        ? { ...this.env, HTTP__PORT: String(port) }
        : { ...this.env, WORKER__HEALTH_PORT: "0" },
    );
    const [, bound] = await waitForOutput(spawned, command === "serve" ? SERVING : WORKING, 60_000).catch(
      (error: unknown) => {
        spawned.child.kill("SIGKILL");
        throw error;
      },
    );
    return { spawned, port: Number(bound) };
  }

  /** SIGTERM, as a rollout or a scale-down sends it; resolves with the exit code. */
  async terminate(member: Member): Promise<number | string> {
    member.spawned.child.kill("SIGTERM");
    return member.spawned.exited();
  }

  /** Starts `member` again on its port (serve) or a new one (worker), in place. */
  async restart(member: Member, command: "serve" | "worker"): Promise<void> {
    const again = await this.spawn(command, command === "serve" ? member.port : 0);
    member.spawned = again.spawned;
    member.port = again.port;
  }

  /** Kills every process still running (SIGKILL), then removes the schema and streams. */
  async stop(): Promise<void> {
    for (const { spawned } of [...this.serves, ...this.workers]) {
      if (spawned.child.exitCode === null && spawned.child.signalCode === null) {
        spawned.child.kill("SIGKILL");
        await spawned.exited();
      }
    }
    await this.stack.stop();
  }
}
