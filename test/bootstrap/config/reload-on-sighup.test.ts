import * as assert from "uvu/assert";
import { appConfig, loadConfig } from "../../../src/bootstrap/app-config.js";
import type { ReloadReport } from "../../../src/bootstrap/config/config-store.js";
import { ConfigStore } from "../../../src/bootstrap/config/config-store.js";
import { reloadOnSighup } from "../../../src/bootstrap/config/reload-on-sighup.js";
import type { Logger } from "../../../src/ports/logger.js";
import { test } from "../../support/uvu.js";
import { configDir, writeFiles } from "./config-dir.js";

type Level = "error" | "warn" | "info" | "debug";
interface LogRecord {
  readonly level: Level;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A Logger that keeps its records, and resolves `logged` with the first one. */
function recordingLogger() {
  const records: LogRecord[] = [];
  let resolveLogged: (record: LogRecord) => void = () => {};
  const logged = new Promise<LogRecord>((resolve) => {
    resolveLogged = resolve;
  });
  const write = (level: Level) => (fields: Record<string, unknown>, message: string) => {
    const record = { level, fields, message };
    records.push(record);
    resolveLogged(record);
  };
  const logger: Logger = {
    error: write("error"),
    warn: write("warn"),
    info: write("info"),
    debug: write("debug"),
    child: () => logger,
    isLevelEnabled: () => true,
  };
  return { logger, records, logged };
}

/** Sends a real SIGHUP to this process with the handler installed, and waits until it has logged. */
async function sighup(store: { reload(): ReloadReport }) {
  const { logger, records, logged } = recordingLogger();
  const listenersBefore = process.listenerCount("SIGHUP");
  const uninstall = reloadOnSighup(store, logger);
  // Signal handles do not keep the event loop alive; the timer does, and fails the test if nothing is logged.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("nothing logged within 2 s of SIGHUP")), 2000);
  });
  try {
    process.kill(process.pid, "SIGHUP");
    await Promise.race([logged, timedOut]);
  } finally {
    clearTimeout(timer);
    uninstall();
  }
  assert.is(process.listenerCount("SIGHUP"), listenersBefore, "uninstall removes the handler");
  return records;
}

test("given the handler installed, when the process receives SIGHUP, then the config is reloaded and the report logged", async () => {
  const dir = configDir({ ".env": "LOG__LEVEL=info\n" });
  const reread = () => loadConfig({ env: {}, dir });
  const loaded = reread();
  if (!loaded.ok) throw new Error("invalid starting config");
  const store = new ConfigStore({ definition: appConfig, config: loaded.config, reread });
  writeFiles(dir, { ".env": "LOG__LEVEL=debug\nHTTP__PORT=4000\n" });

  const records = await sighup(store);
  assert.is(store.get().log.level, "debug");
  assert.equal(records, [
    { level: "warn", fields: { keys: ["HTTP__PORT"] }, message: "config changed, needs restart, ignored" },
    {
      level: "info",
      fields: { applied: ["LOG__LEVEL"], ignoredRestartOnly: ["HTTP__PORT"] },
      message: "config reloaded",
    },
  ]);
});

test("given a reload that finds bad keys, when SIGHUP arrives, then the issues are logged as an error", async () => {
  const issue = { key: "HTTP__PORT", source: ".env", value: "eighty", expected: "integer 0..65535" } as const;
  const records = await sighup({ reload: () => ({ applied: [], ignoredRestartOnly: [], errors: [issue] }) });
  assert.equal(records, [
    {
      level: "error",
      fields: { issues: [issue] },
      message:
        'config reload refused; keeping the current config\nInvalid configuration (1 problem):\n  HTTP__PORT ("eighty" from .env): expected integer 0..65535',
    },
  ]);
});

test("given a reload that throws, when SIGHUP arrives, then the failure is logged instead of crashing the process", async () => {
  const failure = new Error("EACCES: permission denied, open '.env'");
  const records = await sighup({
    reload: () => {
      throw failure;
    },
  });
  assert.equal(records, [
    { level: "error", fields: { err: failure }, message: "config reload failed; keeping the current config" },
  ]);
});

test.run();
