/**
 * deploy/compose.yaml: refused without its secrets, valid against the Compose specification's JSON
 * schema once they are given (and clean under dclint's rules), and in agreement with keel: every key
 * one keel knows, no secret committed, the configuration keel accepts as production (and refuses with
 * the development secret), HAProxy and Prometheus on the ports keel listens on, HAProxy quick enough to
 * take a draining serve out before its listener closes, and both their configurations accepted by
 * their own checkers.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { DCLinter } from "dclint";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { ROOT } from "../support/child-process.js";
import { decidePrometheus, promtool } from "../support/promtool.js";
import { decide, serviceTest } from "../support/services.js";
import { test } from "../support/uvu.js";
import {
  type ComposeFile,
  composeContainers,
  ENV_EXAMPLE,
  envFile,
  interpolated,
  keelServices,
  rawCompose,
} from "./compose-file.js";
import { DEVELOPMENT_JWT_SECRET, keelAccepts } from "./keel-config.js";
import { effective, findings, type KeelContainer, type Probe, plainEnv } from "./keel-containers.js";

const run = promisify(execFile);
const HAPROXY_CFG = join(ROOT, "deploy/compose/haproxy.cfg");
const PROMETHEUS_YML = join(ROOT, "deploy/observability/prometheus.yml");

/** deploy/.env.example with every value an operator must give filled in (test values only). */
const SECRETS = {
  ...envFile(ENV_EXAMPLE),
  POSTGRES_PASSWORD: "test-only-postgres-password",
  REDIS_PASSWORD: "test-only-redis-password",
  AUTH__JWT_SECRET: "test-only-compose-jwt-secret-0123456789abcdef",
  GRAFANA_ADMIN_PASSWORD: "test-only-grafana-password",
};

/** The Compose specification's schema, as dclint ships it (the compose-spec project's file). */
function composeSchemaErrors(file: ComposeFile): string[] {
  // Its $schema names draft 07 by an https URL Ajv has no alias for; Ajv's default dialect is draft 07.
  const { $schema: _draft07, ...schema } = JSON.parse(
    readFileSync(join(ROOT, "node_modules/dclint/schemas/compose.schema.json"), "utf8"),
  ) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return validate(file)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

interface Balancer {
  readonly path: string;
  readonly service: string;
  readonly port: number;
  /** How long a server that stopped answering 200 keeps getting requests: inter × fall, in ms. */
  readonly noticeMs: number;
}

/** The serve backend of haproxy.cfg: its health check, its servers, and how soon a failing one is out. */
function balancer(text = readFileSync(HAPROXY_CFG, "utf8")): Balancer {
  const path = /^\s*option httpchk GET (\S+)/m.exec(text)?.[1];
  const servers = /^\s*server-template \S+ \d+ ([\w-]+):(\d+)/m.exec(text);
  const inter = /^\s*default-server .*\binter (\d+)(ms|s)\b/m.exec(text);
  const fall = /^\s*default-server .*\bfall (\d+)\b/m.exec(text)?.[1];
  if (path === undefined || servers === null || inter === null || fall === undefined)
    throw new Error("haproxy.cfg: no httpchk path, server-template or default-server inter/fall");
  return {
    path,
    service: servers[1] ?? "",
    port: Number(servers[2]),
    noticeMs: Number(inter[1]) * (inter[2] === "s" ? 1000 : 1) * Number(fall),
  };
}

function containers(file: ComposeFile = rawCompose()): KeelContainer[] {
  const lb = balancer();
  const readiness: Record<string, Probe> = {
    [lb.service]: { kind: "readiness", path: lb.path, port: lb.port },
  };
  return composeContainers(file, readiness);
}

test("given deploy/.env.example as committed, with every secret empty, when compose interpolates the file, then it stops and names the missing secret", () => {
  assert.throws(
    () => interpolated(rawCompose(), envFile(ENV_EXAMPLE)),
    /required variable POSTGRES_PASSWORD/,
  );
  for (const name of ["REDIS_PASSWORD", "AUTH__JWT_SECRET", "GRAFANA_ADMIN_PASSWORD"]) {
    const without = { ...SECRETS, [name]: "" };
    assert.throws(() => interpolated(rawCompose(), without), new RegExp(`required variable ${name} `));
  }
});

test("given the secrets filled in, when the interpolated file is validated against the Compose specification, then it is valid and dclint finds no error", () => {
  const file = interpolated(rawCompose(), SECRETS);
  assert.equal(composeSchemaErrors(file), []);
  assert.equal(Object.keys(file.services).sort(), [
    "grafana",
    "jaeger",
    "lb",
    "migrate",
    "nats",
    "nats-1",
    "nats-2",
    "nats-3",
    "otel-collector",
    "postgres",
    "prometheus",
    "redis",
    "serve",
    "worker",
  ]);
  const [result] = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] }).lintFiles(
    [join(ROOT, "deploy/compose.yaml")],
    false,
  );
  assert.is(
    result?.errorCount,
    0,
    JSON.stringify(result?.messages.filter((m: { type: string }) => m.type === "error")),
  );
});

test("given a copy with a misspelt service key or a grace period that is not a duration, then the schema check reports it", () => {
  const file = interpolated(rawCompose(), SECRETS);
  const broken = structuredClone(file);
  broken.services.serve.helthcheck = broken.services.serve.healthcheck;
  broken.services.serve.stop_grace_period = 20;
  const errors = composeSchemaErrors(broken).join("\n");
  assert.match(
    errors,
    /\/services\/serve additionalProperty|must NOT have additional properties.*helthcheck/,
  );
  assert.match(errors, /\/services\/serve\/stop_grace_period must be string/);
});

test("given the stack's ordering, then migrate runs first and once, and serve and worker wait for it to succeed", () => {
  const { services } = rawCompose();
  assert.equal(services.migrate.command, ["migrate", "up"]);
  assert.is(services.migrate.restart, "no");
  for (const name of ["serve", "worker"])
    assert.is(services[name].depends_on.migrate.condition, "service_completed_successfully", name);
  assert.is(services.serve.deploy.replicas, 2);
  assert.equal(services["nats-1"].profiles, ["nats-cluster"]);
});

test("given keel's services, when held against keel's configuration, then keys, secrets, probes, ports and grace periods agree", () => {
  const found = containers();
  assert.equal(found.map((c) => `${c.where}: ${c.command}`).sort(), [
    "compose service migrate: migrate",
    "compose service serve: serve",
    "compose service worker: worker",
  ]);
  assert.equal(findings(found), []);
});

test("given a copy with an unknown keel key or a secret written into the file, then the check names it", () => {
  const raw = rawCompose();
  raw.services.serve.environment = { ...raw.services.serve.environment, HTTP__PROTT: "3000" };
  raw.services.worker.environment = { ...raw.services.worker.environment, AUTH__JWT_SECRET: "x".repeat(40) };
  assert.equal(findings(containers(raw)), [
    "compose service serve: HTTP__PROTT is not a key of keel's configuration",
    "compose service worker: AUTH__JWT_SECRET is a secret but its value is committed (literal)",
  ]);
});

test("given each keel service's configuration with the secrets filled in, when keel loads it as at start-up, then keel accepts it, and refuses the development JWT secret", () => {
  for (const container of composeContainers(interpolated(rawCompose(), SECRETS), {})) {
    const env = plainEnv(container);
    assert.is(env.APP_ENV, "production");
    const accepted = keelAccepts(env);
    assert.ok(accepted.ok, `${container.where}: ${accepted.ok ? "" : accepted.issues}`);
    const refused = keelAccepts({ ...env, AUTH__JWT_SECRET: DEVELOPMENT_JWT_SECRET });
    assert.not.ok(refused.ok);
    assert.match(refused.ok ? "" : refused.issues, /AUTH__JWT_SECRET/);
  }
});

test("given HAProxy and Prometheus, then they reach keel on the ports it listens on, and HAProxy takes a draining serve out before its listener closes", () => {
  const [serve, worker] = ["serve", "worker"].map((name) => {
    const container = containers().find((c) => c.command === name);
    if (container === undefined) throw new Error(`no ${name} service`);
    return container;
  }) as [KeelContainer, KeelContainer];
  const lb = balancer();
  assert.is(lb.port, Number(effective(serve, "HTTP__PORT")));
  assert.ok(
    lb.noticeMs < Number(effective(serve, "HTTP__DRAIN_DELAY_MS")),
    `HAProxy notices after ${lb.noticeMs} ms; keel stops accepting after ${effective(serve, "HTTP__DRAIN_DELAY_MS")} ms`,
  );
  const prometheus = parse(readFileSync(PROMETHEUS_YML, "utf8")) as {
    scrape_configs: { dns_sd_configs: { names: string[]; port: number }[] }[];
  };
  const targets = Object.fromEntries(
    prometheus.scrape_configs.flatMap((job) => job.dns_sd_configs.map((sd) => [sd.names[0], sd.port])),
  );
  assert.equal(targets, {
    serve: Number(effective(serve, "HTTP__PORT")),
    worker: Number(effective(worker, "WORKER__HEALTH_PORT")),
  });
  assert.ok(keelServices(rawCompose()).every((name) => name !== "lb"));
});

serviceTest(
  await decide("haproxy", async () => {
    await run("haproxy", ["-v"]);
  }),
  "given the compose stack's haproxy.cfg, when haproxy checks it, then it is valid",
  async () => {
    const { stdout, stderr } = await run("haproxy", ["-c", "-f", HAPROXY_CFG]);
    assert.match(`${stdout}${stderr}`, /Configuration file is valid/);
  },
);

serviceTest(
  await decidePrometheus("promtool"),
  "given the compose stack's prometheus.yml, when promtool checks it with its rule file, then both are valid",
  async () => {
    assert.match(await promtool(["check", "config", PROMETHEUS_YML]), /SUCCESS: 1 rule files found/);
  },
);

test.run();
