/**
 * What the PostgreSQL fault tests share: the production stack's settings with short database
 * timeouts (so that a bound can be checked in seconds), requests timed from the client's side, and
 * pg_terminate_backend aimed at the stack's own sessions only.
 */
import { randomBytes } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { eventually } from "../support/eventually.js";
import type { FaultProxy } from "../support/fault-proxy.js";
import { NATS_URL } from "../support/nats.js";
import { recordIssuedSecret, recordSecret } from "../support/output-record.js";
import { POSTGRES_URL } from "../support/postgres.js";
import { type ProductionStack, STACK_ADMIN } from "../support/production-stack.js";

export const TIMEOUTS = { connectMs: 1000, statementMs: 1000, queryMs: 1500 } as const;

/** The longest any request may take while PostgreSQL is faulty: the query timeout plus 1 s. */
export const BOUND_MS = TIMEOUTS.queryMs + 1000;

/** How long after a fault ends every part of keel must answer again, without a restart. */
export const RECOVERY_MS = 5000;

/** A request still unanswered after this is given up on, so that a hang fails the test instead of stalling it. */
const GIVE_UP_MS = BOUND_MS + 10_000;

/**
 * The bootstrap admin of these stacks: an address of this run's own, because the login counters live
 * in the shared Redis, keyed by username, where another run's failed attempts must not lock it out.
 */
export const ADMIN = {
  email: `ops-${randomBytes(4).toString("hex")}@keel.test`,
  password: STACK_ADMIN.password,
} as const;

export function databaseFaultEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE__CONNECT_TIMEOUT_MS: String(TIMEOUTS.connectMs),
    DATABASE__STATEMENT_TIMEOUT_MS: String(TIMEOUTS.statementMs),
    DATABASE__QUERY_TIMEOUT_MS: String(TIMEOUTS.queryMs),
    // Other suites sign in from 127.0.0.1 against the same Redis counters; the address limit is not under test here.
    RATE_LIMIT__LOGIN__IP_POINTS: "100000",
    AUTH__BOOTSTRAP_ADMIN__EMAIL: ADMIN.email,
    ...extra,
  };
}

export interface Answer {
  /** 0 when no answer came (connection error, or given up after GIVE_UP_MS). */
  readonly status: number;
  readonly ms: number;
  /** The envelope's code, or the OAuth2 error, or what went wrong when there was no answer. */
  readonly code: string | undefined;
  readonly retryAfter: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field
  readonly body: any;
}

/** One request (keep-alive, as fetch does by default), timed from just before it is sent. */
export async function timed(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    json?: unknown;
    form?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const started = performance.now();
  const headers = {
    ...(init.json === undefined ? {} : { "content-type": "application/json" }),
    ...(init.form === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
    ...init.headers,
  };
  const body =
    init.json !== undefined
      ? JSON.stringify(init.json)
      : init.form !== undefined
        ? new URLSearchParams(init.form).toString()
        : undefined;
  try {
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(GIVE_UP_MS),
    });
    const text = await response.text();
    const parsed = response.headers.get("content-type")?.includes("json") && text ? JSON.parse(text) : text;
    // The suite's secret scan looks for these in every output (keel's logs included).
    recordSecret("password", init.form?.password);
    recordIssuedSecret("access token", parsed?.access_token);
    recordIssuedSecret("refresh token", parsed?.refresh_token);
    return {
      status: response.status,
      ms: performance.now() - started,
      code: parsed?.code ?? parsed?.error,
      retryAfter: response.headers.get("retry-after"),
      body: parsed,
    };
  } catch (error) {
    return {
      status: 0,
      ms: performance.now() - started,
      code: error instanceof Error ? error.message : String(error),
      retryAfter: null,
      body: undefined,
    };
  }
}

/**
 * Ends the sessions PostgreSQL sees coming from `proxy` (its upstream ports), as a server restart or
 * a failover does; no other session is touched. Returns how many were ended.
 */
export async function terminateSessionsOf(proxy: FaultProxy): Promise<number> {
  const ports = proxy.upstreamPorts;
  if (ports.length === 0) return 0;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ ended: boolean }>(
      `select pg_terminate_backend(pid) as ended from pg_stat_activity
        where client_port = any($1::int[]) and client_addr = inet_client_addr()`,
      [ports],
    );
    return rows.filter((row) => row.ended).length;
  } finally {
    await admin.end();
  }
}

/** Pauses the scenario (a fault's length, load between faults): never used to wait for a result. */
export function hold(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lines of a process's JSON log. */
export function logLines(stdout: string): { level?: number; msg?: string; [key: string]: unknown }[] {
  return stdout.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

/** Whether the relay's checkpoint is the last event in the log (everything committed was published). */
export async function relayCaughtUp(schemaUrl: string): Promise<boolean> {
  const db = new pg.Client({ connectionString: schemaUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ caught_up: boolean }>(
      `select coalesce((select (c.transaction_id, c.position) = (e.transaction_id, e.position)
                          from relay_checkpoints c,
                               (select transaction_id, position from events
                                 order by transaction_id desc, position desc limit 1) e
                         where c.name = 'relay'), false) as caught_up`,
    );
    return rows[0]?.caught_up === true;
  } finally {
    await db.end();
  }
}

/** What the recovery probe touches: a product to read and adjust, as a signed-in admin. */
export interface ProbeTarget {
  readonly productId: string;
  readonly headers: Record<string, string>;
  /** Called with each acknowledged write, so that the caller can look for it in the log. */
  readonly written: (answer: Answer) => void;
}

/**
 * Waits (at most RECOVERY_MS) until every running process answers again: a read and a write through
 * serve, and the readiness of serve and, when it runs, the worker. Returns the time it took from
 * `since` (performance.now()), in ms; fails with the last answers otherwise.
 */
export async function recovered(stack: ProductionStack, target: ProbeTarget, since: number): Promise<number> {
  const probe = async () => {
    const [read, write, ...ready] = await Promise.all([
      timed(`${stack.url("serve")}/api/v1/products/${target.productId}`),
      timed(`${stack.url("serve")}/api/v1/products/${target.productId}/stock-adjustments`, {
        method: "POST",
        headers: target.headers,
        json: { delta: 1, reason: "recovery probe" },
      }),
      ...[...stack.running.keys()].map((name) => timed(`${stack.url(name)}/health/ready`)),
    ]);
    if (write?.status === 200) target.written(write);
    return [read, write, ...ready].map((answer) => answer?.status);
  };
  await eventually(
    "a read, a write and readiness to answer again",
    probe,
    (statuses) => statuses.every((status) => status === 200),
    RECOVERY_MS,
  );
  return performance.now() - since;
}

/** Signs in as the stack's admin and returns the authorization header; fails the test otherwise. */
export async function adminHeaders(stack: ProductionStack): Promise<Record<string, string>> {
  const answer = await timed(`${stack.url("serve")}/api/v1/auth/token`, {
    method: "POST",
    form: { grant_type: "password", username: ADMIN.email, password: ADMIN.password },
  });
  if (answer.status !== 200) throw new Error(`the admin could not sign in: ${answer.status} ${answer.code}`);
  return { authorization: `Bearer ${answer.body.access_token}` };
}

/** Creates a product through serve and returns its id. */
export async function createProduct(
  stack: ProductionStack,
  headers: Record<string, string>,
  sku: string,
): Promise<string> {
  const answer = await timed(`${stack.url("serve")}/api/v1/products`, {
    method: "POST",
    headers,
    json: { name: `Fault ${sku}`, sku, price: 100, currency: "EUR", stock: 5 },
  });
  if (answer.status !== 201) throw new Error(`creating ${sku} failed: ${answer.status} ${answer.code}`);
  return answer.body.data.id;
}

/** "503 SERVICE_UNAVAILABLE ×12, 200 OK ×3000": how often each status and code came back. */
export function tally(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const answer of answers) {
    const key = `${answer.status} ${answer.code ?? ""}`.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ×${n}`)
    .join(", ");
}

/**
 * Stops the stack once the proxies have seen the killed processes' connections close. Closing a proxy
 * while one of its sockets is half-closed leaks that socket's handle (Node 20: resetAndDestroy after
 * the peer's FIN fails with EINVAL and never closes the handle), which keeps the test run from exiting.
 */
export async function stopStack(stack: ProductionStack): Promise<void> {
  for (const { spawned } of stack.running.values()) {
    spawned.child.kill("SIGKILL");
    await spawned.exited();
  }
  const proxies = [stack.postgres, stack.nats, stack.redis];
  await eventually(
    "the proxies to see the killed processes' connections close",
    () => proxies.map((proxy) => proxy.connections),
    (open) => open.every((n) => n === 0),
    5000,
  ).catch(() => undefined);
  await stack.stop();
}

/** How many events the worker's subscribers gave up on (the stack's dead-letter stream), or why unknown. */
export async function deadLetters(stack: ProductionStack): Promise<number | string> {
  const nc = await connect({ servers: NATS_URL, timeout: 2000 });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(`${stack.stream}_dead_letters`)).state.messages;
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await nc.close();
  }
}
