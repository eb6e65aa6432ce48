/**
 * The Dockerfile, which cannot be built here (no Docker engine): it passes a Dockerfile linter
 * (dockerfile-utils, the validator behind VS Code's Dockerfile support, every rule an error), and it
 * has the properties the image promises — a multi-stage build whose runtime holds production
 * dependencies only, a pinned base, a non-root user, keel as PID 1 in exec form, a HEALTHCHECK, the
 * ports keel listens on — while .dockerignore keeps every secret out and every COPY source in.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ValidationSeverity, type ValidatorSettings, validate } from "dockerfile-utils";
import * as assert from "uvu/assert";
import { ROOT } from "../support/child-process.js";
import { test } from "../support/uvu.js";
import { productionDefault } from "./keel-config.js";

// CommonJS (module.exports = the factory), which its own typings declare as a default export.
const dockerignore = createRequire(import.meta.url)(
  "@balena/dockerignore",
) as typeof import("@balena/dockerignore").default;

const DOCKERFILE = readFileSync(join(ROOT, "Dockerfile"), "utf8");

/** Every rule dockerfile-utils has that can be raised, raised to an error. */
const STRICT: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

function lint(text: string): string[] {
  return validate(text, STRICT).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Instructions by stage (continuations joined, comments and the syntax directive dropped). */
function stages(text: string): { name: string; from: string; instructions: Instruction[] }[] {
  const lines = text.replace(/\\\n/g, " ").split("\n");
  const result: { name: string; from: string; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const [, keyword = "", args = ""] = match;
    if (keyword === "FROM") {
      const [, from = "", name = ""] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      result.push({ name, from, instructions: [] });
    } else {
      result.at(-1)?.instructions.push({ keyword, args: args.trim() });
    }
  }
  return result;
}

const args = (stage: { instructions: Instruction[] }, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

test("given the Dockerfile, when the linter checks it with every rule an error, then it finds nothing", () => {
  assert.equal(lint(DOCKERFILE), []);
});

test("given a Dockerfile with a bad port protocol, a relative WORKDIR, a duration without unit and single-quoted JSON, then the linter reports each", () => {
  const found = lint(
    [
      "FROM node:20-bookworm-slim",
      "WORKDIR app",
      "EXPOSE 3000/tpc",
      "HEALTHCHECK --interval=10 CMD true",
      "ENTRYPOINT ['node', 'cli.js']",
    ].join("\n"),
  );
  assert.is(found.length, 4, found.join("\n"));
  assert.ok(found.some((f) => f.startsWith("line 2:")));
  assert.ok(found.some((f) => f.startsWith("line 3:")));
  assert.ok(found.some((f) => f.startsWith("line 4:")));
  assert.ok(found.some((f) => f.startsWith("line 5:")));
});

test("given the Dockerfile's stages, then the runtime has production dependencies and the build output only, from a base pinned by digest", () => {
  const all = stages(DOCKERFILE);
  assert.equal(
    all.map((s) => `${s.name} from ${s.from}`),
    ["deps from $NODE", "build from deps", "prod-deps from $NODE", "runtime from $NODE"].map((s) =>
      s.replace("$NODE", `\${NODE_IMAGE}`),
    ),
  );
  const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(DOCKERFILE)?.[1] ?? "";
  assert.match(base, /^node:20\.\d+-[a-z]+-slim@sha256:[0-9a-f]{64}$/, "the base is pinned by digest");
  const [deps, build, prodDeps, runtime] = all as [
    (typeof all)[0],
    (typeof all)[0],
    (typeof all)[0],
    (typeof all)[0],
  ];
  assert.ok(
    args(deps, "RUN").some((run) => /npm ci --no-audit/.test(run)),
    "deps: npm ci from the lock file",
  );
  assert.ok(args(build, "RUN").includes("npm run build"));
  assert.ok(
    args(prodDeps, "RUN").some((run) => /npm ci --omit=dev/.test(run)),
    "prod-deps: no dev dependencies",
  );
  const copied = args(runtime, "COPY");
  assert.ok(copied.includes("--from=prod-deps /app/node_modules ./node_modules"));
  assert.ok(copied.includes("--from=build /app/dist ./dist"));
  assert.not.ok(
    copied.some((copy) => /--from=(deps|build) \/app\/node_modules/.test(copy)),
    "no dev dependencies reach the runtime",
  );
});

test("given the runtime stage, then keel runs as a non-root user, as PID 1 in exec form, with a HEALTHCHECK and the ports keel listens on", () => {
  const runtime = stages(DOCKERFILE).at(-1);
  if (runtime === undefined) throw new Error("no stage");
  const [user] = args(runtime, "USER");
  assert.match(user ?? "", /^[1-9]\d*:[1-9]\d*$/, "a numeric non-root user, which runAsNonRoot can verify");
  const [entrypoint] = args(runtime, "ENTRYPOINT");
  const exec = JSON.parse(entrypoint ?? "null") as string[];
  assert.equal(exec.slice(0, 1), ["node"], "node itself, no shell in between");
  // The path `npm run build` writes the CLI to, as package.json's start script runs it.
  const start = (
    JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }
  ).scripts.start;
  assert.is(exec[1], start.split(" ")[1]);
  assert.equal(args(runtime, "STOPSIGNAL"), ["SIGTERM"]);
  const [healthcheck] = args(runtime, "HEALTHCHECK");
  assert.match(healthcheck ?? "", /CMD \["node", "deploy\/docker\/healthcheck\.mjs"\]$/);
  assert.equal(args(runtime, "EXPOSE"), [
    `${productionDefault("HTTP__PORT")} ${productionDefault("WORKER__HEALTH_PORT")}`,
  ]);
  assert.ok(args(runtime, "ENV").some((env) => env.includes("APP_ENV=production")));
});

test("given .dockerignore, then every file the Dockerfile copies from the context is sent and no secret or local state is", () => {
  const ignore = dockerignore({ ignorecase: false }).add(readFileSync(join(ROOT, ".dockerignore"), "utf8"));
  const sources = stages(DOCKERFILE)
    .flatMap((stage) => args(stage, "COPY"))
    .filter((copy) => !copy.startsWith("--from="))
    .flatMap((copy) => copy.split(/\s+/).slice(0, -1));
  assert.ok(sources.length > 5);
  for (const source of sources) {
    const probe =
      source.endsWith("/") || !source.includes(".") ? `${source.replace(/\/$/, "")}/file.ts` : source;
    assert.not.ok(ignore.ignores(probe.replace(/^\.\//, "")), `${source} is copied but ignored`);
  }
  for (const secret of [
    ".env",
    ".env.production",
    "deploy/.env",
    "src/.env",
    "node_modules/x/index.js",
    "dist/src/bootstrap/cli.js",
    ".data/pglite/base",
    "coverage/index.html",
    "deploy/k8s/overlays/prod/secrets.env",
    ".git/config",
    "test/deploy/dockerfile.test.ts",
  ])
    assert.ok(ignore.ignores(secret), `${secret} would be sent to the build`);
});

test.run();
