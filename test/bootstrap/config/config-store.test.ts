import * as assert from "uvu/assert";
import { appConfig, loadConfig } from "../../../src/bootstrap/app-config.js";
import { ConfigStore } from "../../../src/bootstrap/config/config-store.js";
import type { AppConfig } from "../../../src/bootstrap/config/definition.js";
import { test } from "../../support/uvu.js";
import { configDir, writeFiles } from "./config-dir.js";

/** A store over a temp dir holding `dotEnv` as .env, as the composition root builds it. */
function storeWith(dotEnv: string) {
  const dir = configDir({ ".env": dotEnv });
  const reread = () => loadConfig({ env: {}, dir });
  const loaded = reread();
  if (!loaded.ok) throw new Error(`invalid starting config: ${JSON.stringify(loaded.issues)}`);
  const store = new ConfigStore({ definition: appConfig, config: loaded.config, reread });
  const editDotEnv = (content: string) => writeFiles(dir, { ".env": content });
  return { store, editDotEnv };
}

function recordingListener<T>() {
  const calls: { next: T; previous: T }[] = [];
  return { calls, listener: (next: T, previous: T) => calls.push({ next, previous }) };
}

test("given a live key changed in .env, when reloading, then it is applied and subscribers hear once with next and previous", () => {
  const { store, editDotEnv } = storeWith("LOG__LEVEL=info\n");
  const { calls, listener } = recordingListener<AppConfig>();
  store.subscribe(listener);
  editDotEnv("LOG__LEVEL=debug\nAPI__V1__DEPRECATED=true\n");

  assert.equal(store.reload(), {
    applied: ["LOG__LEVEL", "API__V1__DEPRECATED"],
    ignoredRestartOnly: [],
    errors: [],
  });
  assert.is(store.get().log.level, "debug");
  assert.is(store.get().api.v1.deprecated, true);
  assert.is(calls.length, 1);
  assert.is(calls[0]?.next.log.level, "debug");
  assert.is(calls[0]?.previous.log.level, "info");
});

test("given a restart-only key changed in .env, when reloading, then it is reported as ignored and keeps its old value", () => {
  const { store, editDotEnv } = storeWith("HTTP__PORT=3000\n");
  const { calls, listener } = recordingListener<AppConfig>();
  store.subscribe(listener);
  editDotEnv("HTTP__PORT=4000\nLOG__LEVEL=warn\n");

  assert.equal(store.reload(), { applied: ["LOG__LEVEL"], ignoredRestartOnly: ["HTTP__PORT"], errors: [] });
  assert.is(store.get().http.port, 3000);
  assert.is(store.get().log.level, "warn");
  assert.is(calls[0]?.next.http.port, 3000);
});

test("given only restart-only changes, when reloading, then nothing is applied and no subscriber is called", () => {
  const { store, editDotEnv } = storeWith("");
  const before = store.get();
  const { calls, listener } = recordingListener<AppConfig>();
  store.subscribe(listener);
  editDotEnv("HTTP__TRUST_PROXY=true\n");

  assert.equal(store.reload(), { applied: [], ignoredRestartOnly: ["HTTP__TRUST_PROXY"], errors: [] });
  assert.is(store.get(), before);
  assert.is(calls.length, 0);
});

test("given an invalid .env, when reloading, then the errors are returned and the whole old config is kept", () => {
  const { store, editDotEnv } = storeWith("LOG__LEVEL=info\n");
  const before = store.get();
  const { calls, listener } = recordingListener<AppConfig>();
  store.subscribe(listener);
  editDotEnv("LOG__LEVEL=debug\nHTTP__PORT=eighty\n");

  const report = store.reload();
  assert.equal(report.applied, []);
  assert.equal(
    report.errors.map(({ key, source }) => ({ key, source })),
    [{ key: "HTTP__PORT", source: ".env" }],
  );
  assert.is(store.get(), before);
  assert.is(calls.length, 0);
});

test("given feature flags added, flipped and removed, when reloading, then each changed flag is applied by its env key", () => {
  const { store, editDotEnv } = storeWith("FEATURES__NEW_CHECKOUT=false\nFEATURES__OLD_SEARCH=true\n");
  editDotEnv("FEATURES__NEW_CHECKOUT=true\nFEATURES__DARK_MODE=true\n");

  assert.equal(store.reload().applied, [
    "FEATURES__NEW_CHECKOUT",
    "FEATURES__OLD_SEARCH",
    "FEATURES__DARK_MODE",
  ]);
  assert.equal(store.get().features, { newCheckout: true, darkMode: true });
});

test("given an unsubscribed listener, when a live key changes, then it is not called", () => {
  const { store, editDotEnv } = storeWith("");
  const { calls, listener } = recordingListener<AppConfig>();
  const unsubscribe = store.subscribe(listener);
  unsubscribe();
  editDotEnv("LOG__LEVEL=error\n");

  store.reload();
  assert.is(calls.length, 0);
});

test("given views of two slices, when only one slice changes, then only that view's subscribers hear of it", () => {
  const { store, editDotEnv } = storeWith("");
  const cors = store.select((config) => config.http.cors);
  const log = store.select((config) => config.log);
  const corsCalls = recordingListener<AppConfig["http"]["cors"]>();
  const logCalls = recordingListener<AppConfig["log"]>();
  cors.subscribe(corsCalls.listener);
  log.subscribe(logCalls.listener);
  editDotEnv("HTTP__CORS__ORIGINS=https://shop.example\n");

  store.reload();
  assert.equal(corsCalls.calls, [
    {
      next: { origins: ["https://shop.example"] },
      previous: { origins: ["http://localhost:3000", "http://localhost:5173"] },
    },
  ]);
  assert.is(logCalls.calls.length, 0);
  assert.equal(cors.get(), { origins: ["https://shop.example"] });
});

test("given a view of a slice, when a reload rebuilds that slice with equal content, then its subscribers are not called", () => {
  const { store, editDotEnv } = storeWith("FEATURES__BETA=true\n");
  const features = store.select((config) => config.features);
  const { calls, listener } = recordingListener<AppConfig["features"]>();
  features.subscribe(listener);
  editDotEnv("FEATURES__BETA=1\nLOG__LEVEL=debug\n");

  assert.equal(store.reload().applied, ["LOG__LEVEL"]);
  assert.is(calls.length, 0);
});

test.run();
