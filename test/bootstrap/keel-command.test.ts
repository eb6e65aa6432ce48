import { spawn } from "node:child_process";
import { once } from "node:events";
import * as assert from "uvu/assert";
import { cleanEnv, ROOT } from "../support/child-process.js";
import { recordOutput } from "../support/output-record.js";
import { test } from "../support/uvu.js";

/** `npx keel …` from the repository root, as the README tells a newcomer: no build step first. */
async function npxKeel(args: readonly string[], env: Record<string, string> = {}) {
  const child = spawn("npx", ["--no-install", "keel", ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  recordOutput(`npx keel ${args.join(" ")}`, stdout + stderr);
  return { code, stdout, stderr };
}

const COMMANDS = [
  "serve",
  "worker",
  "migrate",
  "replay",
  "dead-letters",
  "jobs",
  "users",
  "permissions",
  "new",
] as const;

test("given a clone, when a newcomer runs npx keel --help, then every command is listed", async () => {
  const { code, stdout } = await npxKeel(["--help"]);
  assert.is(code, 0);
  for (const command of COMMANDS) assert.match(stdout, new RegExp(`^  ${command} `, "m"), command);
});

test("given any command, when it is asked for --help, then it prints its own usage and exits 0", async () => {
  const runs = await Promise.all(COMMANDS.map((command) => npxKeel([command, "--help"])));
  for (const [i, { code, stdout }] of runs.entries()) {
    assert.is(code, 0, COMMANDS[i]);
    assert.match(stdout, new RegExp(`^usage: keel ${COMMANDS[i]}`), COMMANDS[i]);
  }
});

test("given the embedded database, when npx keel migrate status runs, then it lists each migration", async () => {
  const { code, stdout, stderr } = await npxKeel(["migrate", "status"], {
    APP_ENV: "test",
    PERSISTENCE__DRIVER: "pglite",
    PGLITE__DATA_DIR: "memory://",
    LOG__LEVEL: "silent",
  });
  assert.is(code, 0, stderr);
  assert.match(stdout, /^pending\s+2026-11-24T0100-products$/m);
});

test("given the service's contexts, when npx keel permissions runs, then it lists each permission with what declares it and its default roles", async () => {
  const { code, stdout, stderr } = await npxKeel(["permissions"], { APP_ENV: "test", LOG__LEVEL: "silent" });
  assert.is(code, 0, stderr);
  assert.match(stdout, /^\| permission \| declared by \| allows \| granted by default to \|$/m);
  assert.match(stdout, /^\| `product:write` \| product \| .+ \| admin, catalog-manager \|$/m);
  assert.match(stdout, /^\| `user:manage` \| user \| .+ \| admin \|$/m);
});

test.run();
