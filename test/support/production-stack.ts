import { randomBytes } from "node:crypto";
import { cleanEnv, PRODUCTION_SECRETS, type Spawned, spawnTs, waitForOutput } from "./child-process.js";
import { eventually } from "./eventually.js";
import { FaultProxy } from "./fault-proxy.js";
import { deleteStreams, NATS_URL, natsDecision } from "./nats.js";
import { createTestSchema, POSTGRES_URL, postgresDecision, type TestSchema } from "./postgres.js";
import { REDIS_URL, redisDecision } from "./redis.js";
import type { ServiceDecision } from "./services.js";

/**
 * The bootstrap admin of a production stack (production refuses the development password), with an
 * address of this run's own: login counters are keyed by username, and another run's failed
 * attempts must not lock it out.
 */
export const STACK_ADMIN = {
  email: `ops-${randomBytes(4).toString("hex")}@keel.test`,
  password: "stack-admin-passphrase-for-fault-tests",
} as const;

/** Whether a production stack can run here: it needs PostgreSQL, Redis and NATS (required under CI). */
export async function stackDecision(): Promise<ServiceDecision> {
  for (const next of [postgresDecision, redisDecision, natsDecision]) {
    const service = await next();
    if (!service.run) return service;
  }
  return { run: true };
}

/** The Redis logical database the stack's counters live in. */
const STACK_REDIS_DB = 7;

export interface KeelProcess {
  readonly spawned: Spawned;
  /** `http://127.0.0.1:<port>`: the API for serve, the probes for the worker. */
  readonly url: string;
}

export interface StackOptions {
  /** Which processes to start; both by default. */
  readonly processes?: readonly ("serve" | "worker")[];
  /** Redis to reach through the proxy, when not the shared one (a test's own, to SIGSTOP). */
  readonly redisUrl?: string;
  /** Settings on top of the stack's own, for every process. */
  readonly env?: Record<string, string>;
}

/**
 * keel's production profile as an operator runs it: `keel serve` and `keel worker` as separate
 * processes, on PostgreSQL (a schema of its own), NATS JetStream (a stream of its own) and Redis,
 * each reached through a FaultProxy the test can cut, reset or black-hole. Loopback only.
 */
export class ProductionStack {
  readonly running = new Map<"serve" | "worker", KeelProcess>();

  private constructor(
    readonly schema: TestSchema,
    readonly stream: string,
    readonly postgres: FaultProxy,
    readonly nats: FaultProxy,
    readonly redis: FaultProxy,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(options: StackOptions = {}): Promise<ProductionStack> {
    const schema = await createTestSchema();
    const stream = `keel_fault_${randomBytes(5).toString("hex")}`;
    const target = (url: string, port: number) => ({ host: new URL(url).hostname, port });
    const postgres = await FaultProxy.start(target(POSTGRES_URL, Number(new URL(POSTGRES_URL).port || 5432)));
    const nats = await FaultProxy.start(target(NATS_URL, Number(new URL(NATS_URL).port || 4222)));
    const redisUrl = options.redisUrl ?? REDIS_URL;
    const redis = await FaultProxy.start(target(redisUrl, Number(new URL(redisUrl).port || 6379)));
    const env = cleanEnv({
      ...PRODUCTION_SECRETS,
      APP_ENV: "production",
      HTTP__HOST: "127.0.0.1",
      HTTP__PORT: "0",
      WORKER__HEALTH_PORT: "0",
      LOG__LEVEL: "info",
      PERSISTENCE__DRIVER: "postgres",
      DATABASE__URL: postgres.url(schema.url),
      DATABASE__MIGRATE_ON_START: "true",
      EVENT_BUS__DRIVER: "nats",
      EVENT_BUS__STREAM: stream,
      NATS__URL: nats.url(NATS_URL),
      RATE_LIMIT__STORE: "redis",
      // A logical database of its own: its load must not spend the counters other suites' servers
      // share in database 0 (every keel uses the same key prefix).
      REDIS__URL: `${redis.url(redisUrl).replace(/\/\d*$/, "")}/${STACK_REDIS_DB}`,
      // The stack is loaded on purpose; the limits under test are not these.
      RATE_LIMIT__IP__POINTS: "1000000",
      RATE_LIMIT__PRINCIPAL__POINTS: "1000000",
      RATE_LIMIT__LOGIN__IP_POINTS: "100000",
      MAIL__DRIVER: "log",
      AUTH__BOOTSTRAP_ADMIN__EMAIL: STACK_ADMIN.email,
      AUTH__BOOTSTRAP_ADMIN__PASSWORD: STACK_ADMIN.password,
      ...options.env,
    });
    const stack = new ProductionStack(schema, stream, postgres, nats, redis, env);
    try {
      for (const process of options.processes ?? ["serve", "worker"]) await stack.startProcess(process);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** Starts (or starts again) one process and waits until it says it is running. */
  async startProcess(name: "serve" | "worker", env: Record<string, string> = {}): Promise<KeelProcess> {
    const spawned = spawnTs("src/bootstrap/cli.ts", [name], { ...this.env, ...env });
    const pattern =
      name === "serve"
        ? /"port":(\d+)[^\n]*"msg":"keel is serving"/
        : /"healthPort":(\d+)[^\n]*"msg":"keel worker is running"/;
    const [, port] = await waitForOutput(spawned, pattern, 30_000).catch((error: unknown) => {
      spawned.child.kill("SIGKILL");
      throw error;
    });
    const running = { spawned, url: `http://127.0.0.1:${port}` };
    this.running.set(name, running);
    return running;
  }

  url(name: "serve" | "worker"): string {
    const running = this.running.get(name);
    if (running === undefined) throw new Error(`${name} is not running`);
    return running.url;
  }

  /** Whether the process is still alive (it has not exited or crashed). */
  alive(name: "serve" | "worker"): boolean {
    const child = this.running.get(name)?.spawned.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /**
   * Kills every process (SIGKILL), then removes the proxies, the schema and the streams. The proxies
   * close only once they have seen the killed processes' connections close (at most 5 s): resetting
   * a socket whose peer's close is still on its way can leave a handle that never closes, and the
   * test process then never exits.
   */
  async stop(): Promise<void> {
    for (const { spawned } of this.running.values()) {
      spawned.child.kill("SIGKILL");
      await spawned.exited();
    }
    this.running.clear();
    const proxies = [this.postgres, this.nats, this.redis];
    await eventually(
      "the proxies to see the killed processes' connections close",
      () => proxies.map((proxy) => proxy.connections),
      (open) => open.every((n) => n === 0),
      5000,
    ).catch(() => undefined);
    for (const proxy of [this.postgres, this.nats, this.redis]) await proxy.close();
    await this.schema.drop();
    await deleteStreams(this.stream, `${this.stream}_dead_letters`);
  }
}
