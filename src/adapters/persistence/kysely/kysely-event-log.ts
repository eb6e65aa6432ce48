import { type Kysely, type Selectable, sql } from "kysely";
import type { EventLog, LogCheckpoint, RecordedEvent } from "../../../ports/event-log.js";
import type { Database, EventsTable } from "./database.js";
import type { TransactionScope } from "./transaction-scope.js";

export class KyselyEventLog implements EventLog {
  constructor(private readonly scope: TransactionScope) {}

  private get db(): Kysely<Database> {
    return this.scope.reader();
  }

  /** Inside a unit of work this reads through its transaction (PGlite has one connection to share). */
  async history(aggregateType: string, aggregateId: string): Promise<RecordedEvent[]> {
    const rows = await this.db
      .selectFrom("events")
      .selectAll()
      .where("aggregate_type", "=", aggregateType)
      .where("aggregate_id", "=", aggregateId)
      .orderBy("aggregate_version")
      .execute();
    return rows.map(recorded);
  }

  /**
   * Commit-safe order (ARCHITECTURE.md, "Events, end to end"): positions are taken at insert, so a
   * transaction that started earlier may commit later with smaller positions. Reading by
   * (transaction id, position) and only below the oldest running transaction (the snapshot's xmin)
   * means nothing can later appear before the checkpoint.
   */
  async readAfter(after: LogCheckpoint, limit: number): Promise<RecordedEvent[]> {
    const rows = await this.db
      .selectFrom("events")
      .selectAll()
      .where(afterCheckpoint(after))
      .where(committedBeforeOldestRunning)
      .orderBy("transaction_id")
      .orderBy("position")
      .limit(limit)
      .execute();
    return rows.map(recorded);
  }

  async backlog(after: LogCheckpoint): Promise<{ events: number; oldestOccurredAt?: string }> {
    const { events, oldest } = await this.db
      .selectFrom("events")
      .select((eb) => [eb.fn.countAll<string>().as("events"), eb.fn.min("occurred_at").as("oldest")])
      .where(afterCheckpoint(after))
      .where(committedBeforeOldestRunning)
      .executeTakeFirstOrThrow();
    const count = Number(events);
    return count === 0 || oldest === null
      ? { events: 0 }
      : { events: count, oldestOccurredAt: new Date(oldest).toISOString() };
  }
}

/** The commit-safe order's two conditions, shared by reading and counting. */
function afterCheckpoint(after: LogCheckpoint) {
  return sql<boolean>`(transaction_id, position) > (${after.transactionId}::xid8, ${after.position}::bigint)`;
}

const committedBeforeOldestRunning = sql<boolean>`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;

function recorded(row: Selectable<EventsTable>): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    version: row.aggregate_version,
    occurredAt: row.occurred_at.toISOString(),
    data: row.data,
    metadata: row.metadata,
    position: Number(row.position),
    transactionId: String(row.transaction_id),
  };
}
