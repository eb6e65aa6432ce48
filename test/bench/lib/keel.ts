import { PRODUCTION_SECRETS } from "../../support/child-process.js";
/**
 * keel as a target: the real entry point (`cli.ts serve`) in the production profile, logging at info,
 * so the benchmark pays for everything a deployed service does per request.
 */
import { freePort, type RunningServer, spawnServer } from "./spawn-server.js";

/** Settings every keel benchmark shares; a scenario adds its own (e.g. a PostgreSQL driver). */
const BASE_ENV = {
  ...PRODUCTION_SECRETS,
  APP_ENV: "production",
  // In-memory adapters isolate the HTTP and application stack; scenarios measuring a database override them.
  ALLOW_MEMORY_ADAPTERS: "true",
  PERSISTENCE__DRIVER: "memory",
  EVENT_BUS__DRIVER: "memory",
  MAIL__DRIVER: "log",
  HTTP__HOST: "127.0.0.1",
  LOG__LEVEL: "info",
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
