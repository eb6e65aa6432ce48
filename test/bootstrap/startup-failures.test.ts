import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { openPglite } from "../../src/adapters/persistence/pglite/open-pglite.js";
import { UNAVAILABLE_EXIT_CODE } from "../../src/bootstrap/startup-failure.js";
import { cleanEnv, PRODUCTION_SECRETS, spawnTs, waitForOutput } from "../support/child-process.js";
import { postgresDecision } from "../support/postgres.js";
import { serviceTest } from "../support/services.js";
import { test } from "../support/uvu.js";

/** `make run`: keel serve on the embedded database in a directory, with the development defaults. */
function embeddedServe(dataDir: string) {
  return spawnTs(
    "src/bootstrap/cli.ts",
    ["serve"],
    cleanEnv({
      APP_ENV: "test",
      PERSISTENCE__DRIVER: "pglite",
      PGLITE__DATA_DIR: dataDir,
      HTTP__HOST: "127.0.0.1",
      HTTP__PORT: "0",
      LOG__LEVEL: "info",
    }),
  );
}

/** What an operator reads on standard error: the lines that are not blank. */
function stderrLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.trim() !== "");
}

test("given keel serving the embedded database, when a second keel starts on the same directory, then it refuses in one line naming the first, exits 69, and the first keeps serving", async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), "keel-lock-")), "pglite");
  const first = embeddedServe(dataDir);
  try {
    const [, port] = await waitForOutput(first, /"port":(\d+)[^\n]*"msg":"keel is serving"/, 60_000);
    const second = embeddedServe(dataDir);
    assert.is(await second.exited(), UNAVAILABLE_EXIT_CODE, second.stderr());
    const lines = stderrLines(second.stderr());
    assert.is(lines.length, 1, second.stderr());
    assert.match(lines[0] ?? "", new RegExp(`in use by process ${first.child.pid} `));
    assert.match(lines[0] ?? "", /stop that process first/);

    const res = await fetch(`http://127.0.0.1:${port}/api/v1/products`);
    assert.is(res.status, 200, "the first server still answers");
  } finally {
    first.child.kill("SIGKILL");
    await first.exited();
    rmSync(join(dataDir, ".."), { recursive: true, force: true });
  }
});

test("given a lock left by a process that died, when the embedded database opens, then it takes the directory over", async () => {
  const root = mkdtempSync(join(tmpdir(), "keel-lock-"));
  const dataDir = join(root, "pglite");
  const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  writeFileSync(
    `${dataDir}.lock`,
    JSON.stringify({ pid: Number(gone.stdout), command: "keel serve", since: "then" }),
  );
  try {
    const pglite = await openPglite({ dataDir });
    await pglite.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("given the HTTP port is taken, when keel serve starts, then it says so in one line and exits 69", async () => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  const port = (squatter.address() as { port: number }).port;
  try {
    const keel = spawnTs(
      "src/bootstrap/cli.ts",
      ["serve"],
      cleanEnv({ APP_ENV: "test", HTTP__HOST: "127.0.0.1", HTTP__PORT: String(port), LOG__LEVEL: "info" }),
    );
    assert.is(await keel.exited(), UNAVAILABLE_EXIT_CODE, keel.stderr());
    const lines = stderrLines(keel.stderr());
    assert.is(lines.length, 1, keel.stderr());
    assert.match(lines[0] ?? "", /EADDRINUSE/);
  } finally {
    squatter.close();
  }
});

const postgres = await postgresDecision();

for (const [what, url, cause] of [
  ["nothing listens at its port", "postgres://postgres@127.0.0.1:1/test", /ECONNREFUSED 127\.0\.0\.1:1/],
  ["its user does not exist", "postgres://no_such_keel_user@127.0.0.1:5432/test", /no_such_keel_user/],
] as const) {
  serviceTest(
    postgres,
    `given a DATABASE__URL where ${what}, when keel serve starts in production, then one line names PostgreSQL and the cause, and it exits 69`,
    async () => {
      const keel = spawnTs(
        "src/bootstrap/cli.ts",
        ["serve"],
        cleanEnv({
          ...PRODUCTION_SECRETS,
          APP_ENV: "production",
          PERSISTENCE__DRIVER: "postgres",
          DATABASE__URL: url,
          RATE_LIMIT__STORE: "memory",
          ALLOW_MEMORY_ADAPTERS: "true",
          EVENT_BUS__DRIVER: "memory",
          DATABASE__CONNECT_TIMEOUT_MS: "2000",
        }),
      );
      assert.is(await keel.exited(), UNAVAILABLE_EXIT_CODE, keel.stderr());
      const lines = stderrLines(keel.stderr());
      assert.is(lines.length, 1, keel.stderr());
      assert.match(lines[0] ?? "", /^keel: cannot start: PostgreSQL unavailable: /);
      assert.match(lines[0] ?? "", cause);
      assert.not.match(keel.stdout(), /"level":50/, "no error-level stack in the log either");
    },
  );
}

test.run();
