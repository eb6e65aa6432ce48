import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type pg from "pg";
import { LowStockAlert } from "../../src/application/product/low-stock-alert.js";
import { StockHistoryProjection } from "../../src/application/product/stock-history-projection.js";
import { WelcomeMail } from "../../src/application/user/welcome-mail.js";

/** keel's subscribers and the event types each takes, read from the handlers themselves. */
export const SUBSCRIBERS: readonly { readonly name: string; readonly eventTypes: readonly string[] }[] = [
  new StockHistoryProjection(unused()),
  new LowStockAlert(unused(), unused(), unused()),
  new WelcomeMail(unused()),
].map(({ name, eventTypes }) => ({ name, eventTypes }));

/** The projection's effect: one stock movement row per stock event (its primary key is the event id). */
const PROJECTION = "product-stock-history";

function unused(): never {
  return undefined as never;
}

export async function streamMessages(nc: NatsConnection, stream: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(stream)).state.messages;
}

/** Event id → how many messages in the stream carry it, read by sequence. */
export async function streamEventIds(nc: NatsConnection, stream: string): Promise<Map<string, number>> {
  const jsm = await jetstreamManager(nc);
  const { first_seq, last_seq } = (await jsm.streams.info(stream)).state;
  const ids = new Map<string, number>();
  for (let from = first_seq; from <= last_seq; from += 100) {
    const seqs = Array.from({ length: Math.min(100, last_seq - from + 1) }, (_, i) => from + i);
    const messages = await Promise.all(seqs.map((seq) => jsm.streams.getMessage(stream, { seq })));
    for (const message of messages) {
      const id = message?.header.get("Keel-Event-Id") ?? "(no event id)";
      ids.set(id, (ids.get(id) ?? 0) + 1);
    }
  }
  return ids;
}

export interface SubscriberTally {
  readonly name: string;
  /** Events of its types in the log. */
  readonly expected: number;
  /** Rows in its inbox (one per event id: the inbox's primary key). */
  readonly processed: number;
  readonly missing: number;
  readonly unexpected: number;
}

/** The log against the stream and against every subscriber's inbox and effects. */
export interface Ledger {
  readonly events: number;
  readonly stream: { readonly messages: number; readonly duplicates: number; readonly missing: number };
  readonly deadLetters: number;
  readonly subscribers: readonly SubscriberTally[];
  /** The projection's rows against the stock events of the log. */
  readonly movements: { readonly rows: number; readonly missing: number; readonly unexpected: number };
}

export interface Progress {
  /** The relay's checkpoint is the last event of the log: everything committed was published. */
  readonly published: boolean;
  /** Events of its types not yet in each subscriber's inbox, summed over the subscribers. */
  readonly behind: number;
}

/**
 * Counts only, on a connection the caller keeps, at most every `intervalMs`: light enough to poll
 * while the worker catches up, without slowing down what is being waited for.
 */
export async function progress(db: pg.Client, intervalMs = 100): Promise<Progress> {
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
  const { rows } = await db.query<{ published: boolean; behind: string }>(
    `select coalesce((select (c.transaction_id, c.position) = (e.transaction_id, e.position)
                        from relay_checkpoints c,
                             (select transaction_id, position from events
                               order by transaction_id desc, position desc limit 1) e
                       where c.name = 'relay'), false) as published,
            (select coalesce(sum(greatest(0,
                      (select count(*) from events where type = any(s.types)) -
                      (select count(*) from inbox where subscriber = s.name))), 0)
               from jsonb_to_recordset($1::jsonb) as s(name text, types text[])) as behind`,
    [JSON.stringify(SUBSCRIBERS.map(({ name, eventTypes }) => ({ name, types: eventTypes })))],
  );
  return { published: rows[0]?.published === true, behind: Number(rows[0]?.behind ?? 0) };
}

/** What each subscriber processed against what the log holds for it, by event id. */
export async function inboxTallies(
  db: pg.Client,
): Promise<{ events: number; subscribers: SubscriberTally[] }> {
  const events = (await db.query<{ id: string; type: string }>("select id, type from events")).rows;
  const inbox = (
    await db.query<{ subscriber: string; event_id: string }>("select subscriber, event_id from inbox")
  ).rows;
  const subscribers = SUBSCRIBERS.map(({ name, eventTypes }) => {
    const expected = new Set(events.filter((e) => eventTypes.includes(e.type)).map((e) => e.id));
    const processed = inbox.filter((row) => row.subscriber === name).map((row) => row.event_id);
    return { name, expected: expected.size, processed: processed.length, ...compare(expected, processed) };
  });
  return { events: events.length, subscribers };
}

export async function ledger(db: pg.Client, nc: NatsConnection, stream: string): Promise<Ledger> {
  const { events, subscribers } = await inboxTallies(db);
  const logIds = (await db.query<{ id: string }>("select id from events")).rows.map((row) => row.id);
  const inStream = await streamEventIds(nc, stream);
  const stockTypes = SUBSCRIBERS.find((s) => s.name === PROJECTION)?.eventTypes ?? [];
  const stockIds = new Set(
    (await db.query<{ id: string }>("select id from events where type = any($1)", [stockTypes])).rows.map(
      (row) => row.id,
    ),
  );
  const movementIds = (
    await db.query<{ event_id: string }>("select event_id from product_stock_movements")
  ).rows.map((row) => row.event_id);
  return {
    events,
    stream: {
      messages: [...inStream.values()].reduce((a, b) => a + b, 0),
      duplicates: [...inStream.values()].filter((count) => count > 1).length,
      missing: logIds.filter((id) => !inStream.has(id)).length,
    },
    deadLetters: await streamMessages(nc, `${stream}_dead_letters`),
    subscribers,
    movements: { rows: movementIds.length, ...compare(stockIds, movementIds) },
  };
}

/** Every event in the stream once, nothing dead-lettered, every subscriber's inbox and the projection exactly the log. */
export function exactlyOnce(l: Ledger): boolean {
  return (
    l.stream.messages === l.events &&
    l.stream.duplicates === 0 &&
    l.stream.missing === 0 &&
    l.deadLetters === 0 &&
    l.subscribers.every((s) => s.processed === s.expected && s.missing === 0 && s.unexpected === 0) &&
    l.movements.missing === 0 &&
    l.movements.unexpected === 0
  );
}

export function describeLedger(l: Ledger): string[] {
  return [
    `events in the log: ${l.events}; stream messages: ${l.stream.messages} ` +
      `(duplicates: ${l.stream.duplicates}, missing: ${l.stream.missing}); dead letters: ${l.deadLetters}`,
    ...l.subscribers.map(
      (s) =>
        `${s.name}: ${s.processed} processed of ${s.expected} (missing: ${s.missing}, unexpected: ${s.unexpected})`,
    ),
    `stock movement rows: ${l.movements.rows} (missing: ${l.movements.missing}, unexpected: ${l.movements.unexpected})`,
  ];
}

function compare(expected: Set<string>, seen: readonly string[]): { missing: number; unexpected: number } {
  const have = new Set(seen);
  return {
    missing: [...expected].filter((id) => !have.has(id)).length,
    unexpected: seen.filter((id) => !expected.has(id)).length,
  };
}
