/**
 * What the PostgreSQL fault tests share: the production stack's settings with short database
 * timeouts (so that a bound can be checked in seconds), recovery probes, and pg_terminate_backend
 * aimed at the stack's own sessions only.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { eventually } from "../support/eventually.js";
import { NATS_URL } from "../support/nats.js";
import type { ProductionStack } from "../support/production-stack.js";
import { type Answer, timed } from "../support/stack-requests.js";

export const TIMEOUTS = { connectMs: 1000, statementMs: 1000, queryMs: 1500 } as const;

/** The longest any request may take while PostgreSQL is faulty: the query timeout plus 1 s. */
export const BOUND_MS = TIMEOUTS.queryMs + 1000;

/** How long after a fault ends every part of keel must answer again, without a restart. */
export const RECOVERY_MS = 5000;

export function databaseFaultEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE__CONNECT_TIMEOUT_MS: String(TIMEOUTS.connectMs),
    DATABASE__STATEMENT_TIMEOUT_MS: String(TIMEOUTS.statementMs),
    DATABASE__QUERY_TIMEOUT_MS: String(TIMEOUTS.queryMs),
    ...extra,
  };
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
