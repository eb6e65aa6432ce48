/**
 * What a deployment descriptor says about each keel container, in one shape whatever the format
 * (Kubernetes objects, the compose file), and what in it disagrees with keel itself: a key keel does
 * not know, a secret written in a committed file, a probe on a path or port keel does not serve, a
 * grace period shorter than keel's own shutdown. The compose and Kubernetes tests read their files
 * into this shape; the checks are the same for both.
 */
import { isKeelKey, isSecretKey, productionDefault } from "./keel-config.js";

/** keel's probes (src/adapters/http/health-routes.ts); test/deploy/healthcheck.test.ts asks real processes. */
export const PROBES = { live: "/health/live", ready: "/health/ready" } as const;

/** Where a value comes from: a committed literal, a ConfigMap, a Secret, or interpolated from outside. */
export type ValueSource = "literal" | "config" | "secret" | "outside";

export interface EnvValue {
  readonly value: string;
  readonly source: ValueSource;
}

export interface Probe {
  readonly kind: "startup" | "liveness" | "readiness";
  readonly path: string;
  readonly port: number;
}

export interface KeelContainer {
  /** "Deployment keel-serve", "compose service serve": how findings name it. */
  readonly where: string;
  /** The keel command it runs: serve, worker, migrate. */
  readonly command: string;
  readonly env: Readonly<Record<string, EnvValue>>;
  /** Ports it declares (containerPort, compose expose). */
  readonly ports: readonly number[];
  readonly probes: readonly Probe[];
  /** The probes its platform must have: all three in Kubernetes (the default); compose has no startup probe. */
  readonly probeKinds?: readonly Probe["kind"][];
  /** How long a stop may take before the process is killed, in seconds (undefined: not declared). */
  readonly graceSeconds: number | undefined;
}

/** Environment variables a keel container may carry that are not keel's (the runtime's own). */
const NOT_KEEL = new Set(["NODE_ENV"]);

/** Which setting names the port each command listens on for its probes; migrate listens on none. */
const PROBE_PORT_KEY: Readonly<Record<string, string | undefined>> = {
  serve: "HTTP__PORT",
  worker: "WORKER__HEALTH_PORT",
};

/** The value keel will use for `key` in this container: what it sets, else keel's production default. */
export function effective(container: KeelContainer, key: string): string | undefined {
  return container.env[key]?.value ?? productionDefault(key);
}

/** Every disagreement between the containers and keel; [] when there is none. */
export function findings(containers: readonly KeelContainer[]): string[] {
  return containers.flatMap((container) => [
    ...keyFindings(container),
    ...portFindings(container),
    ...graceFindings(container),
  ]);
}

function keyFindings(container: KeelContainer): string[] {
  return Object.entries(container.env).flatMap(([key, { source }]) => {
    if (NOT_KEEL.has(key)) return [];
    if (!isKeelKey(key)) return [`${container.where}: ${key} is not a key of keel's configuration`];
    if (isSecretKey(key) && (source === "literal" || source === "config"))
      return [`${container.where}: ${key} is a secret but its value is committed (${source})`];
    return [];
  });
}

function portFindings(container: KeelContainer): string[] {
  const key = PROBE_PORT_KEY[container.command];
  if (key === undefined) {
    return container.probes.length === 0 && container.ports.length === 0
      ? []
      : [`${container.where}: keel ${container.command} serves no probes, yet it declares some`];
  }
  const listening = Number(effective(container, key));
  const found: string[] = [];
  if (!container.ports.includes(listening))
    found.push(
      `${container.where}: keel ${container.command} listens on ${listening} (${key}), not declared`,
    );
  for (const kind of container.probeKinds ?? (["startup", "liveness", "readiness"] as const)) {
    const probe = container.probes.find((p) => p.kind === kind);
    if (probe === undefined) {
      found.push(`${container.where}: no ${kind} probe`);
      continue;
    }
    const path = kind === "readiness" ? PROBES.ready : PROBES.live;
    if (probe.path !== path)
      found.push(`${container.where}: ${kind} probe on ${probe.path}, keel's is ${path}`);
    if (probe.port !== listening)
      found.push(
        `${container.where}: ${kind} probe on port ${probe.port}, keel listens on ${listening} (${key})`,
      );
  }
  return found;
}

/**
 * serve, once signalled, keeps serving for the drain delay, then gives in-flight requests the shutdown
 * timeout; the worker's probe server stops within the shutdown timeout. A grace period shorter than
 * that kills keel mid-drain.
 */
function graceFindings(container: KeelContainer): string[] {
  if (container.command === "migrate") return [];
  if (container.graceSeconds === undefined) return [`${container.where}: no grace period declared`];
  const shutdown = Number(effective(container, "HTTP__SHUTDOWN_TIMEOUT_MS"));
  const drain = container.command === "serve" ? Number(effective(container, "HTTP__DRAIN_DELAY_MS")) : 0;
  return container.graceSeconds * 1000 > drain + shutdown
    ? []
    : [
        `${container.where}: grace period ${container.graceSeconds} s is not above HTTP__DRAIN_DELAY_MS ` +
          `(${drain}) + HTTP__SHUTDOWN_TIMEOUT_MS (${shutdown})`,
      ];
}

/** The container's environment as plain strings, for keel's loader. */
export function plainEnv(container: KeelContainer): Record<string, string> {
  return Object.fromEntries(Object.entries(container.env).map(([key, { value }]) => [key, value]));
}
