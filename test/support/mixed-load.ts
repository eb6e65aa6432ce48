/**
 * Steady mixed load through a load balancer, as many clients send it: each connection is one client
 * with its own loopback source address (127.0.1.x: per-IP rate limits see separate clients), its own
 * account and its own product. It sends, paced, reads of any product, authenticated stock
 * adjustments to its product (each with a unique reason, so an acknowledged write can be found in
 * the event log) and, now and then, a password sign-in. Every outcome is kept; loopback only.
 */
import { Agent, request } from "node:http";
import { recordIssuedSecret, recordSecret } from "./output-record.js";

export interface Reply {
  readonly status: number;
  /** Set when no answer came: the connection failed or timed out. */
  readonly error?: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field
  readonly body: any;
  readonly ms: number;
}

const TIMEOUT_MS = 15_000;

/** One request from `localAddress` on `agent`, JSON or form body; never rejects. */
export function send(
  base: string,
  init: {
    readonly method?: string;
    readonly path: string;
    readonly agent?: Agent;
    readonly localAddress?: string;
    readonly headers?: Record<string, string>;
    readonly json?: unknown;
    readonly form?: Record<string, string>;
  },
): Promise<Reply> {
  const url = new URL(init.path, base);
  const body =
    init.json !== undefined
      ? JSON.stringify(init.json)
      : init.form !== undefined
        ? new URLSearchParams(init.form).toString()
        : undefined;
  const headers = {
    ...(init.json !== undefined ? { "content-type": "application/json" } : {}),
    ...(init.form !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    ...init.headers,
  };
  recordSecret("password", init.form?.password);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: init.method ?? "GET",
        headers,
        agent: init.agent ?? false,
        ...(init.localAddress === undefined ? {} : { localAddress: init.localAddress }),
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: kept as text
          }
          recordIssuedSecret("access token", (parsed as { access_token?: string } | undefined)?.access_token);
          recordIssuedSecret(
            "refresh token",
            (parsed as { refresh_token?: string } | undefined)?.refresh_token,
          );
          resolve({ status: res.statusCode ?? 0, body: parsed, ms: performance.now() - started });
        });
        res.on("error", (error: NodeJS.ErrnoException) =>
          resolve({
            status: 0,
            error: error.code ?? error.message,
            body: undefined,
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error("timeout")));
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve({
        status: 0,
        error: error.code ?? error.message,
        body: undefined,
        ms: performance.now() - started,
      }),
    );
    req.end(body);
  });
}

export interface Client {
  readonly address: string;
  readonly email: string;
  readonly password: string;
  readonly productId: string;
  token: string;
}

export type Kind = "read" | "adjust" | "sign-in";

export interface Outcome {
  readonly kind: Kind;
  readonly status: number;
  readonly error?: string;
  readonly code?: string;
  readonly ms: number;
  readonly at: number;
  /** The adjustment's reason (unique per request). */
  readonly reason?: string;
}

/** The status each kind answers when it succeeds; anything else (or no answer) is a failure. */
export const SUCCESS: Readonly<Record<Kind, number>> = { read: 200, adjust: 200, "sign-in": 200 };

export interface LoadOptions {
  /** The load balancer's URL. */
  readonly url: string;
  readonly clients: readonly Client[];
  /** Requests per second over all clients. */
  readonly rate: number;
  /** One adjustment in so many requests, one sign-in in so many. */
  readonly adjustEvery: number;
  readonly signInEvery: number;
  /** A tag every adjustment's reason starts with. */
  readonly run: string;
}

export interface RunningLoad {
  readonly outcomes: Outcome[];
  /** Stops sending; resolves once every request sent has its outcome. */
  stop(): Promise<Outcome[]>;
}

/** Starts the load; each client sends at rate / clients, on one keep-alive connection of its own. */
export function startLoad(options: LoadOptions): RunningLoad {
  const outcomes: Outcome[] = [];
  let sending = true;
  const intervalMs = (1000 * options.clients.length) / options.rate;
  const products = options.clients.map((c) => c.productId);
  const loops = options.clients.map(async (client, index) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // Clients start spread over one interval, so the load is even from the first second.
    await new Promise((resolve) => setTimeout(resolve, (intervalMs * index) / options.clients.length));
    try {
      for (let i = 1; sending; i++) {
        const due = performance.now() + intervalMs;
        const at = performance.now();
        const common = { agent, localAddress: client.address };
        if (i % options.signInEvery === 0) {
          const reply = await send(options.url, {
            ...common,
            method: "POST",
            path: "/api/v1/auth/token",
            form: { grant_type: "password", username: client.email, password: client.password },
          });
          if (reply.status === 200) client.token = reply.body.access_token;
          outcomes.push(outcome("sign-in", reply, at));
        } else if (i % options.adjustEvery === 0) {
          const reason = `${options.run}-${index}-${i}`;
          const reply = await send(options.url, {
            ...common,
            method: "POST",
            path: `/api/v1/products/${client.productId}/stock-adjustments`,
            headers: { authorization: `Bearer ${client.token}` },
            json: { delta: i % 2 === 0 ? 1 : -1, reason },
          });
          outcomes.push({ ...outcome("adjust", reply, at), reason });
        } else {
          const product = products[(index + i) % products.length];
          const reply = await send(options.url, { ...common, path: `/api/v1/products/${product}` });
          outcomes.push(outcome("read", reply, at));
        }
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    } finally {
      agent.destroy();
    }
  });
  return {
    outcomes,
    stop: async () => {
      sending = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

function outcome(kind: Kind, reply: Reply, at: number): Outcome {
  return {
    kind,
    status: reply.status,
    ms: reply.ms,
    at,
    ...(reply.error === undefined ? {} : { error: reply.error }),
    ...(typeof reply.body?.code === "string" || typeof reply.body?.error === "string"
      ? { code: reply.body.code ?? reply.body.error }
      : {}),
  };
}

export function failed(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.status !== SUCCESS[o.kind]);
}

/** The p-th percentile of the outcomes' latencies, in ms. */
export function percentile(outcomes: readonly Outcome[], p: number): number {
  const sorted = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
