import fs, {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MultiStreamRes } from "pino";
import * as assert from "uvu/assert";
import {
  createLogDestination,
  LogFileUnusable,
  pinoRollSize,
} from "../../../src/adapters/logging/log-destination.js";
import { createPinoLogger } from "../../../src/adapters/logging/pino-logger.js";
import { CONFIG_EXIT_CODE } from "../../../src/bootstrap/config/index.js";
import { describeStartupFailure } from "../../../src/bootstrap/startup-failure.js";
import { CapturedLog } from "../../support/captured-log.js";
import { cleanEnv, spawnTs } from "../../support/child-process.js";
import { eventually } from "../../support/eventually.js";
import { test } from "../../support/uvu.js";

const live = <T>(value: T) => ({ get: () => value, subscribe: () => () => {} });

/** A logger writing to a captured console and to a rotating file at `path`. */
function fileLogger(path: string, maxBytes: number, keep: number) {
  const console = new CapturedLog();
  const destination = createLogDestination({ pretty: false, console, file: { path, maxBytes, keep } });
  const logger = createPinoLogger(live({ level: "trace" as const }), { pretty: false, destination });
  return {
    logger,
    console,
    /** Ends the worker thread (it closes the file first), so the directory can go. */
    close: () => (destination as MultiStreamRes).end(),
  };
}

/** The log files in `dir`, oldest first, with their number and what they hold. */
function logFiles(dir: string) {
  return readdirSync(dir)
    .map((name) => ({ name, number: Number(/\.(\d+)\.log$/.exec(name)?.[1]) }))
    .filter((file) => Number.isInteger(file.number))
    .sort((a, b) => a.number - b.number)
    .flatMap((file) => {
      // pino-roll may delete a rotated file between the listing and the read: it is gone, not an error.
      try {
        return [
          {
            ...file,
            size: statSync(join(dir, file.name)).size,
            text: readFileSync(join(dir, file.name), "utf8"),
          },
        ];
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
    });
}

/**
 * The log files once they stop changing: pino-roll deletes old files asynchronously after each
 * rotation, so a listing taken at once may still show one more.
 */
async function settledLogFiles(dir: string) {
  let previous = "";
  for (let probe = 0; probe < 50; probe += 1) {
    const listing = logFiles(dir)
      .map((file) => `${file.name}:${file.size}`)
      .join(" ");
    if (listing === previous) return logFiles(dir);
    previous = listing;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the log files kept changing: ${previous}`);
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test("given a log file, when lines are logged and flushed, then each is in the file as JSON with credentials redacted", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keel-log-file-"));
  const { logger, console, close } = fileLogger(join(dir, "logs", "keel.log"), 1024 * 1024, 2);
  try {
    const secret = "s3cret-value-that-must-not-reach-the-file";
    logger.info({ password: secret, headers: { authorization: `Bearer ${secret}` }, user: "ann" }, "sign-in");
    logger.child({ requestId: "r1" }).debug({ body: { refresh_token: secret } }, "refresh");
    await logger.flush();

    const files = logFiles(join(dir, "logs"));
    assert.equal(
      files.map((file) => file.name),
      ["keel.1.log"],
      "the directory is created; the number goes before the extension",
    );
    const text = files[0]?.text ?? "";
    assert.not.ok(text.includes(secret), text);
    // biome-ignore lint/suspicious/noExplicitAny: log lines are read field by field
    const [signIn, refresh] = jsonLines(text) as any[];
    assert.is(signIn.msg, "sign-in");
    assert.is(signIn.user, "ann");
    assert.is(signIn.password, "[redacted]");
    assert.is(signIn.headers.authorization, "[redacted]");
    assert.is(refresh.requestId, "r1", "debug lines and a child's bindings reach the file too");
    assert.is(refresh.body.refresh_token, "[redacted]");
    assert.is(console.text(), text, "the console gets the same lines");
  } finally {
    close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("given a byte count, when it is handed to pino-roll, then pino-roll reads the same number of bytes", () => {
  const { parseSize } = createRequire(import.meta.url)("pino-roll/lib/utils.js") as {
    parseSize: (size: string) => number;
  };
  for (const bytes of [1, 100, 1000, 1024, 1536, 4097, 104857600, 10737418240]) {
    assert.is(parseSize(pinoRollSize(bytes)), bytes, pinoRollSize(bytes));
  }
});

test("given a small maximum size, when lines are logged past it several times, then the file rotates at that size and only the newest `keep` rotated files stay", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keel-log-file-"));
  const maxBytes = 2048;
  const keep = 3;
  const { logger, close } = fileLogger(join(dir, "keel.log"), maxBytes, keep);
  try {
    // Flushed in batches of two lines (~260 bytes), so each write the worker makes is smaller than
    // the limit and a file holds only a little more than maxBytes.
    const lines = 160;
    for (let n = 0; n < lines; n += 1) {
      logger.info({ n, padding: "x".repeat(150) }, "line");
      if (n % 2 === 1) await logger.flush();
    }
    const files = await settledLogFiles(dir);
    assert.is(files.length, keep + 1, `keep rotated files and the current one: ${files.map((f) => f.name)}`);
    const numbers = files.map((file) => file.number);
    assert.ok(numbers[0] !== undefined && numbers[0] > 5, `it rotated several times: ${numbers}`);
    assert.equal(
      numbers,
      numbers.map((_, i) => (numbers[0] ?? 0) + i),
      "the newest, consecutively numbered",
    );
    for (const rotated of files.slice(0, keep)) {
      assert.ok(
        rotated.size >= maxBytes,
        `${rotated.name} rotated at ${rotated.size} bytes, before the limit`,
      );
      assert.ok(rotated.size < maxBytes + 600, `${rotated.name} rotated late, at ${rotated.size} bytes`);
    }
    const kept = files.flatMap((file) => jsonLines(file.text)).map((line) => line.n);
    const last = kept.at(-1);
    assert.is(last, lines - 1, "the last line is in the newest file");
    assert.equal(
      kept,
      kept.map((_, i) => lines - kept.length + i),
      "the kept files hold the last lines, none lost in between",
    );
  } finally {
    close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("given rotated files left by an earlier process, when the file rotates, then numbering continues and the old files count towards `keep`", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keel-log-file-"));
  for (let n = 1; n <= 6; n += 1) writeFileSync(join(dir, `keel.${n}.log`), `{"earlier":${n}}\n`);
  const { logger, close } = fileLogger(join(dir, "keel.log"), 1024, 2);
  try {
    for (let n = 0; n < 12; n += 1) {
      logger.info({ n, padding: "x".repeat(150) }, "line");
      await logger.flush();
    }
    const files = await settledLogFiles(dir);
    const names = files.map((file) => file.name);
    assert.is(files.length, 3, `two rotated files and the current one: ${names}`);
    assert.ok((files[0]?.number ?? 0) >= 6, `the earlier process's older files are deleted: ${names}`);
    assert.ok((files.at(-1)?.number ?? 0) > 6, `numbering went on from the highest number found: ${names}`);
  } finally {
    close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("given a log file, when lines are logged, then the main thread never writes to it: a worker thread does", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keel-log-file-"));
  // Every way this thread could write a file, counted. Worker threads load their own `fs`. Writes to
  // stdout and stderr are not the file's: loggers of earlier suites in this process flush there on a timer.
  const spied = ["write", "writeSync", "writev", "writevSync", "appendFile", "appendFileSync"] as const;
  const originals = new Map(spied.map((name) => [name, fs[name]]));
  let writesOnMainThread = 0;
  for (const name of spied) {
    const original = originals.get(name) as (...args: unknown[]) => unknown;
    Object.assign(fs, {
      [name]: (...args: unknown[]) => {
        if (args[0] !== 1 && args[0] !== 2) writesOnMainThread += 1;
        return original(...args);
      },
    });
  }
  let close = () => {};
  try {
    const opened = fileLogger(join(dir, "keel.log"), 1024, 2);
    close = opened.close;
    for (let n = 0; n < 40; n += 1) opened.logger.info({ n, padding: "x".repeat(150) }, "line");
    await opened.logger.flush();
    const files = logFiles(dir);
    assert.is(
      files.flatMap((file) => jsonLines(file.text)).length,
      40,
      "every line is in the (rotated) files",
    );
    assert.is(writesOnMainThread, 0, "no file write happened on the main thread");
  } finally {
    for (const name of spied) Object.assign(fs, { [name]: originals.get(name) });
    close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("given a log file whose directory cannot be created, when the destination is built, then it fails at once and start-up says so in one line, exit 78", () => {
  const dir = mkdtempSync(join(tmpdir(), "keel-log-file-"));
  try {
    // A file where the directory should be: refused even for root, who may write anywhere else.
    writeFileSync(join(dir, "taken"), "");
    const path = join(dir, "taken", "logs", "keel.log");
    let thrown: unknown;
    try {
      createLogDestination({
        pretty: false,
        console: new CapturedLog(),
        file: { path, maxBytes: 1024, keep: 1 },
      });
    } catch (error) {
      thrown = error;
    }
    assert.instance(thrown, LogFileUnusable);
    const failure = describeStartupFailure(thrown);
    assert.is(failure.exitCode, CONFIG_EXIT_CODE);
    assert.not.match(failure.line, /\n/);
    assert.match(failure.line, `keel: cannot start: LOG__FILE=${path} cannot be written: cannot create`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("given a log file that fails later, when lines are logged, then stderr says so once and the console keeps every line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keel-log-file-"));
  const logs = join(dir, "logs");
  const { logger, console, close } = fileLogger(join(logs, "keel.log"), 1024, 2);
  const written: string[] = [];
  const stderrWrite = process.stderr.write;
  process.stderr.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    logger.info({}, "before");
    await logger.flush();
    // The next file cannot be opened: a file stands where the directory was.
    rmSync(logs, { recursive: true, force: true });
    writeFileSync(logs, "");
    for (let n = 0; n < 20; n += 1) {
      logger.info({ n, padding: "x".repeat(150) }, "line");
      await logger.flush();
    }
    await eventually(
      "the failure on stderr",
      () => written,
      (lines) => lines.length > 0,
    );
    logger.info({}, "after");
    await logger.flush();
    assert.is(written.length, 1, written.join(""));
    assert.match(written[0] ?? "", /^keel: log file .*keel\.log failed, logging to stdout only: /);
    assert.is(console.lines().at(-1)?.msg, "after");
    assert.is(console.lines().length, 22);
  } finally {
    process.stderr.write = stderrWrite;
    close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("given a destination that never finishes flushing, when the logger is flushed, then it gives up after the bound", async () => {
  const stuck = { write: () => {}, flush: (_done: () => void) => {} };
  const logger = createPinoLogger(live({ level: "info" as const }), { pretty: false, destination: stuck });
  logger.info({}, "line");
  const outcome = await Promise.race([
    logger.flush(50).then(() => "gave up"),
    new Promise((resolve) => setTimeout(resolve, 5000, "still waiting")),
  ]);
  assert.is(outcome, "gave up");
});

/** keel serve as an operator runs it, on a free port, logging to `file` too. */
function serveWithLogFile(file: string, extra: Record<string, string> = {}) {
  return spawnTs(
    "src/bootstrap/cli.ts",
    ["serve"],
    cleanEnv({
      APP_ENV: "test",
      HTTP__HOST: "127.0.0.1",
      HTTP__PORT: "0",
      LOG__LEVEL: "info",
      LOG__FILE: file,
      ...extra,
    }),
  );
}

test("given keel serve with LOG__FILE and pretty console lines, when it serves a request and stops on SIGTERM, then the file holds, as JSON, the start-up line, the request's access-log line and the last line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keel-log-file-"));
  const server = serveWithLogFile(join(dir, "keel.log"), { LOG__PRETTY: "true" });
  try {
    const fileLines = () => (existsSync(dir) ? logFiles(dir).flatMap((file) => jsonLines(file.text)) : []);
    // The port is read from the file: the start-up line reaches it while keel runs.
    const started = await eventually(
      "the start-up line in the log file",
      () => (server.child.exitCode === null ? fileLines() : [{ exited: server.stderr() }]),
      (lines) => lines.some((line) => line.msg === "keel is serving" || "exited" in line),
      60_000,
    );
    const serving = started.find((line) => line.msg === "keel is serving");
    assert.ok(serving, server.stderr());
    const requestId = `log-file-test-${process.pid}`;
    const res = await fetch(`http://127.0.0.1:${serving.port}/api/v1/products`, {
      headers: { "x-request-id": requestId },
    });
    assert.is(res.status, 200);
    server.child.kill("SIGTERM");
    assert.is(await server.exited(), 0, server.stderr());

    const lines = fileLines();
    const access = lines.find((line) => line.requestId === requestId);
    assert.ok(access, JSON.stringify(lines));
    assert.is(access.msg, "request completed");
    assert.is(access.path, "/api/v1/products");
    assert.is(access.status, 200);
    assert.is(lines.at(-1)?.msg, "keel stopped", "nothing written before exit is lost");
    assert.ok(server.stdout().includes("keel is serving"), server.stdout());
    assert.not.match(server.stdout(), /^\{/m, "the console stays pretty");
  } finally {
    server.child.kill("SIGKILL");
    await server.exited();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("given keel serve with a LOG__FILE it cannot write, when it starts, then it refuses in one line and exits 78", async () => {
  const dir = mkdtempSync(join(tmpdir(), "keel-log-file-"));
  try {
    writeFileSync(join(dir, "taken"), "");
    const server = serveWithLogFile(join(dir, "taken", "keel.log"));
    assert.is(await server.exited(), CONFIG_EXIT_CODE, server.stderr());
    const lines = server
      .stderr()
      .split("\n")
      .filter((line) => line.trim() !== "");
    assert.is(lines.length, 1, server.stderr());
    assert.match(lines[0] ?? "", /^keel: cannot start: LOG__FILE=.*taken\/keel\.log cannot be written: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
