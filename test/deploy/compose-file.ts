/**
 * deploy/compose.yaml as docker compose reads it: YAML with merge keys, ${…} interpolated from the
 * project's .env (here: deploy/.env.example with test values), env_file entries read, and keel's
 * services put in the shape the deployment checks take.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "../support/child-process.js";
import type { EnvValue, KeelContainer, Probe } from "./keel-containers.js";

export const COMPOSE_FILE = join(ROOT, "deploy/compose.yaml");
export const ENV_EXAMPLE = join(ROOT, "deploy/.env.example");

// biome-ignore lint/suspicious/noExplicitAny: a compose file, read field by field
export type ComposeFile = { services: Record<string, any>; [field: string]: any };

/** KEY=VALUE lines of an env file (compose's and keel's format for these files: no quoting used). */
export function envFile(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

/** The compose file as written: merge keys applied, ${…} left as they are. */
export function rawCompose(text = readFileSync(COMPOSE_FILE, "utf8")): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

/**
 * Compose's interpolation of one string: $$ is a dollar, ${NAME}, ${NAME:-default} and
 * ${NAME:?message} (which fails, as compose does, when NAME is unset or empty).
 */
export function interpolate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])((?:[^{}]|\{[^}]*\})*))?\}/g,
    (match, name, op, arg) => {
      if (match === "$$") return "$";
      const value = vars[name as string];
      const set = value !== undefined && value !== "";
      if (op === "-") return set ? value : (arg as string);
      if (op === "?" && !set) throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return value ?? "";
    },
  );
}

/** Every string of the file interpolated, as compose does before it validates or runs anything. */
export function interpolated(file: unknown, vars: Readonly<Record<string, string>>): ComposeFile {
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return interpolate(value, vars);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(file) as ComposeFile;
}

/** Seconds of a compose duration such as "20s", "1m30s". */
export function seconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
    total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as "ms" | "s" | "m" | "h"];
  return total;
}

/** The services that run keel's image. */
export function keelServices(raw: ComposeFile): string[] {
  return Object.keys(raw.services).filter((name) => String(raw.services[name].image).includes("KEEL_IMAGE"));
}

/**
 * keel's services as containers: env_file entries (committed: "config"), then `environment`
 * ("outside" when its value comes from interpolation, "literal" otherwise). Probes: the image's
 * healthcheck script asks /health/live on the port keel listens on; `readiness` is what the load
 * balancer checks, passed in by the caller from haproxy.cfg.
 */
export function composeContainers(
  raw: ComposeFile,
  readiness: Readonly<Record<string, Probe>>,
): KeelContainer[] {
  return keelServices(raw).map((name): KeelContainer => {
    const service = raw.services[name];
    const env: Record<string, EnvValue> = {};
    for (const entry of service.env_file ?? []) {
      const path = join(dirname(COMPOSE_FILE), typeof entry === "string" ? entry : entry.path);
      for (const [key, value] of Object.entries(envFile(path))) env[key] = { value, source: "config" };
    }
    for (const [key, value] of Object.entries((service.environment ?? {}) as Record<string, string>))
      env[key] = { value: String(value), source: String(value).includes("${") ? "outside" : "literal" };
    const command = (service.command ?? ["serve"])[0] as string;
    const port = Number(
      env[command === "worker" ? "WORKER__HEALTH_PORT" : "HTTP__PORT"]?.value ?? Number.NaN,
    );
    const test = (service.healthcheck?.test ?? []) as string[];
    const probes: Probe[] = test.join(" ").includes("deploy/docker/healthcheck.mjs")
      ? [{ kind: "liveness", path: "/health/live", port }]
      : [];
    const ready = readiness[name];
    return {
      where: `compose service ${name}`,
      command,
      env,
      ports: ((service.expose ?? []) as string[]).map(Number),
      probes: ready === undefined ? probes : [...probes, ready],
      probeKinds: ready === undefined ? ["liveness"] : ["liveness", "readiness"],
      graceSeconds: service.stop_grace_period === undefined ? undefined : seconds(service.stop_grace_period),
    };
  });
}
