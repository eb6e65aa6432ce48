import Router from "@koa/router";
import type { Middleware } from "koa";
import type { HealthCheck, LivenessCheck } from "../../ports/health-check.js";
import type { AppState } from "./app-state.js";

export interface Readiness {
  readonly checks: readonly HealthCheck[];
  /** Components that can say they are beyond recovery; liveness fails while one does. */
  readonly liveness: readonly LivenessCheck[];
  /**
   * Not ready while starting (the listener is bound first, so a port in use fails at once, but
   * nothing is served before every component has started) or draining (shutdown has begun: load
   * balancers must stop sending traffic before the server stops).
   */
  readonly phase: () => "starting" | "running" | "draining";
  /** A check slower than this counts as failed, so the probe itself never hangs. */
  readonly timeoutMs: number;
}

const NOT_READY = {
  starting: "starting up",
  running: "a required dependency is down",
  draining: "shutting down",
} as const;

interface CheckResult {
  readonly name: string;
  readonly required: boolean;
  readonly status: "up" | "down";
  readonly latency_ms: number;
  readonly error?: string;
}

/**
 * `/health/live`: the process answers and no component is beyond recovery (a supervisor restarts it
 * otherwise). `/health/ready`: every required dependency answers too (a load balancer sends traffic).
 */
export function healthRoutes(readiness: Readiness): Middleware[] {
  const router = new Router<AppState>({ prefix: "/health" });
  router.get("/live", (ctx) => {
    const broken = readiness.liveness.flatMap((component) => {
      const reason = component.beyondRecovery();
      return reason === undefined ? [] : [{ name: component.name, error: reason }];
    });
    ctx.set("Cache-Control", "no-store");
    ctx.status = broken.length === 0 ? 200 : 503;
    ctx.body =
      broken.length === 0
        ? { code: "OK", message: "alive", data: { status: "alive" } }
        : {
            code: "NOT_ALIVE",
            message: "a component cannot recover without a restart",
            data: { status: "not_alive", broken },
          };
  });
  router.get("/ready", async (ctx) => {
    const checks = await Promise.all(readiness.checks.map((check) => run(check, readiness.timeoutMs)));
    const phase = readiness.phase();
    const draining = phase === "draining";
    const ready = phase === "running" && checks.every((c) => c.status === "up" || !c.required);
    ctx.set("Cache-Control", "no-store");
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      code: ready ? "OK" : "NOT_READY",
      message: ready ? "ready" : NOT_READY[phase],
      data: { status: ready ? "ready" : "not_ready", phase, draining, checks },
    };
  });
  const routes = router.routes() as Middleware;
  // Every request passes this stage; only probe paths need the router's matching.
  return [(ctx, next) => (ctx.path.startsWith("/health/") ? routes(ctx, next) : next())];
}

/** Runs one check, bounded by `timeoutMs`: a hanging dependency reads as down, never as a hung probe. */
export async function run(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, required: check.required, status: "up", latency_ms: since(started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      name: check.name,
      required: check.required,
      status: "down",
      latency_ms: since(started),
      error: message,
    };
  } finally {
    clearTimeout(timer);
  }
}

function since(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
