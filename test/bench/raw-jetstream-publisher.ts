/**
 * The floor of the relay benchmark, run as a child process like keel's worker: publishes the events
 * keel's relay would (same subjects, JSON body, headers, message id, expected stream), one at a time,
 * awaiting each PubAck, to a fresh stream declared like keel's. No keel code runs here.
 *
 * SOURCE=memory publishes COUNT events built in memory (just the publish loop); SOURCE=postgres reads
 * them from DATABASE_URL's `events` table in batches of BATCH_SIZE in keel's commit-safe order and
 * saves a checkpoint after each batch (the floor of "read the log + publish + checkpoint").
 *
 * Environment: NATS_URL, STREAM, COUNT, BATCH_SIZE, SOURCE, DATABASE_URL (SOURCE=postgres).
 * Prints `RESULT {"events":n,"seconds":s}` on stdout.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  DiscardPolicy,
  type JetStreamClient,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { connect, headers, type MsgHdrs, nanos } from "@nats-io/transport-node";
import pg from "pg";

interface BenchEvent {
  readonly id: string;
  readonly type: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly data: unknown;
  readonly metadata: { readonly correlationId: string; readonly principal: string };
  readonly position: number;
  readonly transactionId: string;
}

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is required`);
  return value;
};

const stream = env("STREAM");
const count = Number(env("COUNT"));
const batchSize = Number(env("BATCH_SIZE"));
const source = env("SOURCE");

const nc = await connect({ servers: env("NATS_URL"), name: `keel-bench-raw:${stream}` });
const jsm = await jetstreamManager(nc);
// The configuration keel declares for its events stream (nats-connection.ts), default duplicate window.
await jsm.streams.add({
  name: stream,
  subjects: [`${stream}.>`, `${stream}_redrive.>`],
  retention: RetentionPolicy.Limits,
  storage: StorageType.File,
  discard: DiscardPolicy.Old,
  duplicate_window: nanos(120_000),
});
const js = jetstream(nc);

let published = 0;
/** Restarted by the memory source once its events are built: building them is not publishing. */
let started = performance.now();
if (source === "memory") await publishFromMemory(js);
else if (source === "postgres") await publishFromPostgres(js, env("DATABASE_URL"));
else throw new Error(`SOURCE must be memory or postgres, got ${source}`);
const seconds = (performance.now() - started) / 1000;
await nc.close();
if (published !== count) throw new Error(`published ${published} events, expected ${count}`);
process.stdout.write(`RESULT ${JSON.stringify({ events: published, seconds })}\n`);

async function publish(client: JetStreamClient, event: BenchEvent): Promise<void> {
  await client.publish(`${stream}.${event.type}`, JSON.stringify(event), {
    msgID: event.id,
    headers: eventHeaders(event),
    expect: { streamName: stream },
  });
  published += 1;
}

/** keel's headers (event-message.ts), without a trace context (none is active in the benchmark). */
function eventHeaders(event: BenchEvent): MsgHdrs {
  const h = headers();
  h.set("Keel-Event-Id", event.id);
  h.set("Keel-Event-Type", event.type);
  h.set("Keel-Aggregate-Type", event.aggregateType);
  h.set("Keel-Aggregate-Id", event.aggregateId);
  h.set("Keel-Event-Version", String(event.version));
  h.set("Keel-Correlation-Id", event.metadata.correlationId);
  h.set("Keel-Principal", event.metadata.principal);
  return h;
}

/** The same shape and sizes as the rows relay.ts's scenario writes: one product per 100 events. */
async function publishFromMemory(client: JetStreamClient): Promise<void> {
  const products = Array.from({ length: Math.max(1, Math.ceil(count / 100)) }, () => randomUUID());
  const events: BenchEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const p = i % products.length;
    const version = Math.floor(i / products.length) + 1;
    events.push({
      id: randomUUID(),
      type: version === 1 ? "product.created" : "product.stock_adjusted",
      aggregateType: "product",
      aggregateId: products[p] ?? "",
      version,
      occurredAt: new Date().toISOString(),
      data:
        version === 1
          ? { sku: `BENCH-${p}`, name: `Bench ${p}`, stock: 1_000_000, currency: "EUR", priceMinor: 1999 }
          : { delta: 1, reason: "bench" },
      metadata: { principal: "anonymous", correlationId: randomUUID() },
      position: i + 1,
      transactionId: "1000",
    });
  }
  started = performance.now();
  for (const event of events) await publish(client, event);
}

interface EventRow {
  readonly id: string;
  readonly type: string;
  readonly aggregate_type: string;
  readonly aggregate_id: string;
  readonly aggregate_version: number;
  readonly occurred_at: Date;
  readonly data: unknown;
  readonly metadata: BenchEvent["metadata"];
  readonly position: string;
  readonly transaction_id: string;
}

/** keel's relay round (relay.ts, kysely-event-log.ts) in plain pg: load, read, publish each, save. */
async function publishFromPostgres(client: JetStreamClient, url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const name = `raw-${randomUUID()}`;
  try {
    for (;;) {
      const saved = await db.query<{ transaction_id: string; position: string }>(
        "select transaction_id::text, position::text from relay_checkpoints where name = $1",
        [name],
      );
      const after = saved.rows[0] ?? { transaction_id: "0", position: "0" };
      const { rows } = await db.query<EventRow>(
        `select position::text, id, aggregate_type, aggregate_id, aggregate_version, transaction_id::text,
                type, data, metadata, occurred_at
           from events
          where (transaction_id, position) > ($1::xid8, $2::bigint)
            and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          order by events.transaction_id, events.position -- the columns, not the text outputs
          limit $3`,
        [after.transaction_id, after.position, batchSize],
      );
      for (const row of rows) {
        await publish(client, {
          id: row.id,
          type: row.type,
          aggregateType: row.aggregate_type,
          aggregateId: row.aggregate_id,
          version: row.aggregate_version,
          occurredAt: row.occurred_at.toISOString(),
          data: row.data,
          metadata: row.metadata,
          position: Number(row.position),
          transactionId: row.transaction_id,
        });
      }
      const last = rows.at(-1);
      if (last === undefined) break;
      await db.query(
        `insert into relay_checkpoints (name, transaction_id, position) values ($1, $2::xid8, $3)
         on conflict (name) do update set transaction_id = excluded.transaction_id,
           position = excluded.position, updated_at = now()`,
        [name, last.transaction_id, last.position],
      );
      if (rows.length < batchSize) break;
    }
    await db.query("delete from relay_checkpoints where name = $1", [name]);
  } finally {
    await db.end();
  }
}
