/**
 * keel writes its log lines to stdout in batches, off the event loop (log-destination.ts): these are
 * the promises that come with that. Whatever ends the process — SIGTERM, a start-up that fails, an
 * uncaught exception — every line logged before it reaches stdout, once, whole, and in order.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { cleanEnv, ROOT, type Spawned, waitForOutput } from "../../support/child-process.js";
import { test } from "../../support/uvu.js";

/**
 * A TypeScript entry point under tsx, its output collected; `cwd` where it runs, and `unread`: its
 * stdout is not read until `resume` is called, so the pipe fills as a slow reader's would.
 */
function start(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { readonly cwd?: string; readonly unread?: boolean } = {},
): Spawned & { resume(): void } {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, entry), ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const read = () =>
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
  if (options.unread !== true) read();
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = once(child, "exit").then(([code, signal]) => (code ?? signal) as number | string);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    // "close", not "exit": the pipes' last bytes may still be on their way when the process has ended.
    exited: async () => {
      const code = await exit;
      // The pipe's last bytes may still be on their way when the process has ended.
      if (!child.stdout.closed) await once(child.stdout, "close");
      return code;
    },
    resume: read,
  };
}

interface Line {
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Every stdout line as JSON; a torn or interleaved line fails here, naming it. */
function jsonLines(stdout: string): Line[] {
  assert.ok(stdout.endsWith("\n"), "stdout ends with a whole line");
  return stdout
    .slice(0, -1)
    .split("\n")
    .map((line) => {
      try {
        return JSON.parse(line) as Line;
      } catch {
        throw new Error(`not a whole JSON line: ${line.slice(0, 200)}`);
      }
    });
}

const REQUESTS = 2000;
const CONCURRENCY = 20;

test(`given keel serve with stdout piped, when it has answered ${REQUESTS} requests and SIGTERM arrives, then every access line is on stdout exactly once, and the shutdown lines come last`, async () => {
  const keel = start(
    "src/bootstrap/cli.ts",
    ["serve"],
    cleanEnv({
      APP_ENV: "test",
      HTTP__HOST: "127.0.0.1",
      HTTP__PORT: "0",
      LOG__LEVEL: "info",
      LOG__PRETTY: "false",
      // Every request is one access line; none may be refused before it is logged by a limit.
      RATE_LIMIT__ENABLED: "false",
    }),
  );
  try {
    const [, port] = await waitForOutput(keel, /"port":(\d+)[^\n]*"msg":"keel is serving"/, 60_000);
    const base = `http://127.0.0.1:${port}/api/v1/products/`;
    // Each request its own path, so each access line says which request it is.
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) {
          const n = next;
          next += 1;
          await (await fetch(`${base}missing-${n}`)).arrayBuffer();
        }
      }),
    );

    keel.child.kill("SIGTERM");
    assert.is(await keel.exited(), 0, keel.stderr());

    const lines = jsonLines(keel.stdout());
    const seen = new Map<string, number>();
    for (const line of lines) {
      if (line.msg !== "request completed" || typeof line.path !== "string") continue;
      seen.set(line.path, (seen.get(line.path) ?? 0) + 1);
    }
    for (let n = 0; n < REQUESTS; n += 1) {
      const path = `/api/v1/products/missing-${n}`;
      assert.is(seen.get(path), 1, `access lines for ${path}`);
    }
    assert.is(seen.size, REQUESTS, "no access line for a request that was not made");
    assert.equal(
      lines.slice(-2).map((line) => line.msg),
      ["shutting down", "keel stopped"],
    );
  } finally {
    keel.child.kill("SIGKILL");
  }
});

test("given a plugin whose start fails after other components have started and logged, when keel serve gives up and exits, then every line it logged is on stdout", async () => {
  const keel = start(
    "test/fixtures/failing-serve.ts",
    [],
    cleanEnv({
      APP_ENV: "test",
      HTTP__HOST: "127.0.0.1",
      HTTP__PORT: "0",
      LOG__LEVEL: "debug",
      LOG__PRETTY: "false",
      PLUGINS__ENABLED: "failing-start,alpha",
    }),
  );
  assert.is(await keel.exited(), 1, keel.stderr());
  assert.match(keel.stderr(), /plugin failing-start failed to start/);

  const lines = jsonLines(keel.stdout());
  const started = lines.filter((line) => line.msg === "component started").map((line) => line.component);
  const stopped = lines.filter((line) => line.msg === "component stopped").map((line) => line.component);
  assert.ok(started.includes("plugin alpha"), `alpha started: ${keel.stdout()}`);
  // The components stopped on the way out were logged last, just before the exit, in reverse order.
  assert.equal(stopped, [...started].reverse());
  assert.is(lines.at(-1)?.msg, "component stopped");
});

for (const [crash, how] of [
  ["throw", "an uncaught exception"],
  ["reject", "an unhandled rejection"],
] as const) {
  test(`given 20,000 lines logged to a slow pipe, when the process dies of ${how}, then every line is on stdout, in order`, async () => {
    const lines = 20_000;
    const crashing = start(
      "test/fixtures/crashing-logger.ts",
      [],
      cleanEnv({ LINES: String(lines), CRASH: crash }),
      {
        unread: true,
      },
    );
    // Nobody reads the pipe for a while: it fills, and writes to it wait (EAGAIN) behind the batch.
    await new Promise((done) => setTimeout(done, 500));
    crashing.resume();
    assert.is(await crashing.exited(), 1);
    const numbers = jsonLines(crashing.stdout()).map((line) => line.n);
    assert.equal(
      numbers,
      Array.from({ length: lines }, (_, n) => n),
    );
  });
}

test.run();
