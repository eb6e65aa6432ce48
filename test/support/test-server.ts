import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Container } from "inversify";
import { loadService } from "../../src/bootstrap/app-config.js";
import { ConfigStore } from "../../src/bootstrap/config/index.js";
import type { ContextModule } from "../../src/bootstrap/context/context-module.js";
import type { PluginSources } from "../../src/bootstrap/plugins/find-plugins.js";
import { serve } from "../../src/bootstrap/serve.js";
import { adminSessions } from "./admin-sessions.js";
import { CapturedLog } from "./captured-log.js";
import { recordIssuedSecret, recordOutput, recordSecret } from "./output-record.js";

// No .env files here: a developer's own .env must not change what the tests see.
const CONFIG_DIR = mkdtempSync(join(tmpdir(), "keel-test-config-"));

export interface TestServer {
  readonly url: string;
  /** The process environment keel reads; change it and call `store.reload()` to simulate SIGHUP. */
  readonly env: Record<string, string | undefined>;
  readonly log: CapturedLog;
  readonly store: ConfigStore;
  readonly container: Container;
  stop(): Promise<void>;
}

/**
 * keel as `serve` runs it, on an ephemeral loopback port, with APP_ENV=test defaults, the given
 * environment on top, and any port rebound by `overrides`. `contexts` replaces the service's own
 * list of bounded contexts (src/bootstrap/contexts.ts), its configuration keys included. Plugins are
 * the ones PLUGINS__ENABLED names (none by default in test), found where `pluginSources` says (the
 * repository's plugins/ unless given).
 */
export async function startTestServer(
  options: {
    env?: Record<string, string | undefined>;
    overrides?: (container: Container) => void;
    contexts?: readonly ContextModule[];
    pluginSources?: PluginSources;
  } = {},
): Promise<TestServer> {
  const env = {
    APP_ENV: "test",
    HTTP__HOST: "127.0.0.1",
    HTTP__PORT: "0",
    LOG__LEVEL: "info",
    ...options.env,
  };
  const loaded = await loadService({
    env,
    dir: CONFIG_DIR,
    ...(options.contexts ? { contexts: options.contexts } : {}),
    ...(options.pluginSources ? { pluginSources: options.pluginSources } : {}),
  });
  if (!loaded.ok) throw new Error(`test config invalid: ${JSON.stringify(loaded.issues)}`);
  const store = new ConfigStore({
    definition: loaded.definition,
    config: loaded.config,
    reread: loaded.reread,
  });
  const log = new CapturedLog();
  const running = await serve(store, {
    logDestination: log,
    contexts: loaded.contexts,
    plugins: loaded.plugins,
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const url = `http://127.0.0.1:${running.address.port}`;
  // A server that had this port before (in this process or a child) left its session behind.
  adminSessions.delete(url);
  return {
    url,
    env,
    log,
    store,
    container: running.container,
    stop: async () => {
      adminSessions.delete(url);
      await running.stop();
    },
  };
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in tests
  readonly body: any;
}

/** A request against the test server; the body is parsed when it is JSON. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown; body?: string } = {},
): Promise<JsonResponse> {
  const headers = {
    ...(init.json === undefined ? {} : { "content-type": "application/json" }),
    ...init.headers,
  };
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers,
    ...(init.json === undefined
      ? init.body === undefined
        ? {}
        : { body: init.body }
      : { body: JSON.stringify(init.json) }),
  });
  const text = await response.text();
  const isJson = response.headers.get("content-type")?.includes("json") ?? false;
  const body = isJson && text ? JSON.parse(text) : text;
  record(init, url, text, body);
  return { status: response.status, headers: response.headers, body };
}

/** Feeds the suite-wide secret scan: what was sent in confidence, what came back. */
function record(init: { json?: unknown; body?: string }, url: string, text: string, body: unknown): void {
  const sent: Record<string, unknown> = {
    ...(typeof init.json === "object" && init.json !== null ? (init.json as Record<string, unknown>) : {}),
    ...(init.body === undefined ? {} : Object.fromEntries(new URLSearchParams(init.body))),
  };
  for (const field of ["password", "current_password", "new_password"]) {
    if (typeof sent[field] === "string") recordSecret("password", sent[field]);
  }
  // The one place an issued token or key may appear is the response that issues it.
  const issued = issuedSecrets(body);
  for (const [kind, value] of issued) recordIssuedSecret(kind, value);
  const shown = issued.reduce((masked, [, value]) => masked.split(value).join("<issued>"), text);
  recordOutput(`response to ${url}`, shown);
}

function issuedSecrets(body: unknown): [string, string][] {
  // biome-ignore lint/suspicious/noExplicitAny: response shapes are probed field by field
  const b = body as any;
  const found: [string, string][] = [];
  if (typeof b?.access_token === "string") found.push(["access token", b.access_token]);
  if (typeof b?.refresh_token === "string") found.push(["refresh token", b.refresh_token]);
  if (typeof b?.data?.key === "string") found.push(["api key", b.data.key]);
  return found;
}
