import { PRODUCTION_SECRETS } from "../../support/child-process.js";
/**
 * keel as a target: the real entry point (`cli.ts serve`) in the production profile, logging at info,
 * so the benchmark pays for everything a deployed service does per request: rate limiting included,
 * and, on writes, verifying the bench admin's access token (see auth.ts).
 */
import { BENCH_AUTH_ENV, signInBenchAdmin } from "./auth.js";
import { freePort, type RunningServer, spawnServer } from "./spawn-server.js";

/**
 * Rate limits stay on, counted in the production profile's store (Redis), so every request pays for
 * its counters: the address's, and the principal's on signed-in writes. The limits themselves can
 * never refuse: the most points the settings accept (1,000,000) per one-second window, far above what
 * one process serves (a one-minute window would allow only 16,667 req/s, shared by every keel process
 * a run starts within that minute, since Redis keeps the counts between them).
 */
export const BENCH_RATE_LIMIT_ENV = {
  RATE_LIMIT__ENABLED: "true",
  RATE_LIMIT__IP__POINTS: "1000000",
  RATE_LIMIT__IP__WINDOW_S: "1",
  RATE_LIMIT__PRINCIPAL__POINTS: "1000000",
  RATE_LIMIT__PRINCIPAL__WINDOW_S: "1",
} as const;

/** Settings every keel benchmark shares; a scenario adds its own (e.g. a PostgreSQL driver). */
const BASE_ENV = {
  ...PRODUCTION_SECRETS,
  ...BENCH_AUTH_ENV,
  ...BENCH_RATE_LIMIT_ENV,
  APP_ENV: "production",
  // In-memory adapters isolate the HTTP and application stack; scenarios measuring a database override them.
  ALLOW_MEMORY_ADAPTERS: "true",
  PERSISTENCE__DRIVER: "memory",
  EVENT_BUS__DRIVER: "memory",
  MAIL__DRIVER: "log",
  HTTP__HOST: "127.0.0.1",
  LOG__LEVEL: "info",
  // Off unless a scenario measures it (tracing.ts): production turns it on, and an exporter with no
  // collector to reach would be counted in every other scenario's figures.
  TRACING__ENABLED: "false",
};

export async function startKeel(env: Readonly<Record<string, string>> = {}): Promise<RunningServer> {
  const port = await freePort();
  return spawnServer({
    name: "keel",
    entry: "src/bootstrap/cli.ts",
    args: ["serve"],
    env: { ...BASE_ENV, HTTP__PORT: String(port), ...env },
    readiness: { kind: "http-ok", port, path: "/health/ready" },
    startTimeoutMs: 30_000,
  });
}

/** A keel process and the `Authorization` header value of its bench admin, signed in once. */
export interface SignedInKeel {
  readonly server: RunningServer;
  readonly authorization: string;
}

/** startKeel, then the bench admin's sign-in; the server is stopped again if the sign-in fails. */
export async function startSignedInKeel(env: Readonly<Record<string, string>> = {}): Promise<SignedInKeel> {
  const server = await startKeel(env);
  try {
    return { server, authorization: await signInBenchAdmin(server.origin) };
  } catch (error) {
    await server.stop();
    throw new Error(`${message(error)}\n--- last output of ${server.name} ---\n${server.outputTail()}`);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
