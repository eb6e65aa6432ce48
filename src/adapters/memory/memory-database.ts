import { AsyncLocalStorage } from "node:async_hooks";
import type { DomainEvent } from "../../domain/shared/domain-event.js";
import type { EventMetadata, LogCheckpoint, RecordedEvent } from "../../ports/event-log.js";
import { ConcurrencyConflict } from "../../ports/unit-of-work.js";

export interface VersionedRow<T> {
  readonly version: number;
  readonly value: T;
}

export interface TableDefinition<T> {
  readonly name: string;
  /** Unique secondary keys, checked at commit like a database's unique index. */
  readonly unique?: Readonly<Record<string, (row: T) => string>>;
  /** Raised when a unique key is taken, so adapters report the same typed error as SQL ones. */
  readonly onUniqueViolation?: (key: string, value: string) => Error;
  /**
   * The table's CHECK constraints, by the name the SQL schema gives them: what every row written must
   * satisfy, checked at commit. The domain keeps rows within them; these catch a bug in it as
   * PostgreSQL would, rather than letting the memory store keep what no other store could.
   */
  readonly checks?: Readonly<Record<string, (row: T) => boolean>>;
}

/** A row broke one of its table's CHECK constraints: the transaction stores nothing (SQLSTATE 23514). */
export class CheckViolation extends Error {
  readonly code = "23514";

  constructor(
    readonly table: string,
    readonly constraint: string,
  ) {
    super(`new row for ${table} violates check constraint "${constraint}"`);
    this.name = "CheckViolation";
  }
}

interface StagedWrite {
  readonly table: TableDefinition<unknown>;
  readonly id: string;
  readonly expectedVersion: number;
  /** Undefined when the write deletes the row. */
  readonly row: VersionedRow<unknown> | undefined;
}

interface Transaction {
  readonly metadata: EventMetadata;
  readonly writes: Map<string, StagedWrite>;
  readonly events: Omit<RecordedEvent, "position" | "transactionId">[];
  /** Row locks held until the transaction ends, each with the function that releases it. */
  readonly locks: Map<string, () => void>;
}

/**
 * The in-memory store behind every memory adapter: tables of versioned rows plus the event log.
 * A transaction stages its writes and events and applies them in one synchronous step at commit,
 * after checking versions and unique keys, so it behaves like the SQL stores: all or nothing,
 * optimistic concurrency, no dirty reads across transactions.
 */
export class MemoryDatabase {
  private readonly tables = new Map<string, Map<string, VersionedRow<unknown>>>();
  private readonly log: RecordedEvent[] = [];
  private commits = 0;
  private readonly appendListeners = new Set<() => void>();
  private readonly transactions = new AsyncLocalStorage<Transaction>();
  private readonly rowLocks = new Map<string, Promise<void>>();

  constructor(private readonly newEventId: () => string) {}

  async transaction<T>(metadata: EventMetadata, work: () => Promise<T>): Promise<T> {
    if (this.transactions.getStore() !== undefined) return work();
    const tx: Transaction = { metadata, writes: new Map(), events: [], locks: new Map() };
    try {
      const result = await this.transactions.run(tx, work);
      this.commit(tx);
      return result;
    } finally {
      for (const [key, release] of tx.locks) {
        this.rowLocks.delete(key);
        release();
      }
    }
  }

  /**
   * Locks a row until the transaction ends, as an SQL UPDATE does: another transaction asking for
   * it waits, then reads what the first committed. A conditional update locks before it reads, so
   * of two concurrent ones exactly one finds its condition holding, and neither fails at commit.
   */
  async lock<T>(table: TableDefinition<T>, id: string): Promise<void> {
    const tx = this.transactions.getStore();
    if (tx === undefined) throw new Error("memory row locks are taken inside a unit of work");
    const key = `${table.name}/${id}`;
    if (tx.locks.has(key)) return;
    for (let held = this.rowLocks.get(key); held !== undefined; held = this.rowLocks.get(key)) await held;
    this.rowLocks.set(key, new Promise((release) => tx.locks.set(key, release)));
  }

  read<T>(table: TableDefinition<T>, id: string): VersionedRow<T> | undefined {
    const staged = this.transactions.getStore()?.writes.get(`${table.name}/${id}`);
    return (staged === undefined ? this.committed(table).get(id) : staged.row) as VersionedRow<T> | undefined;
  }

  /** Committed rows of a table; queries are not transactional (the query side reads committed data). */
  rows<T>(table: TableDefinition<T>): IterableIterator<VersionedRow<T>> {
    return this.committed(table).values() as IterableIterator<VersionedRow<T>>;
  }

  findUnique<T>(table: TableDefinition<T>, key: string, value: string): string | undefined {
    const keyOf = table.unique?.[key];
    if (keyOf === undefined) throw new Error(`${table.name} has no unique key ${key}`);
    for (const [id, row] of this.committed(table)) {
      if (keyOf(row.value as T) === value) return id;
    }
    return undefined;
  }

  /** Stores a row at `row.version` if the stored one is still at `expectedVersion`, and appends events. */
  write<T>(
    table: TableDefinition<T>,
    id: string,
    expectedVersion: number,
    row: VersionedRow<T>,
    events: readonly DomainEvent[],
  ): void {
    const tx = this.stage(table, id, expectedVersion, row);
    for (const event of events) {
      tx.events.push({ ...event, id: this.newEventId(), aggregateType: table.name, metadata: tx.metadata });
    }
  }

  /** Deletes a row if the stored one is still at `expectedVersion`, checked at commit like a write. */
  delete<T>(table: TableDefinition<T>, id: string, expectedVersion: number): void {
    this.stage(table, id, expectedVersion, undefined);
  }

  /** Stages a row (or its deletion) in the open unit of work, to be checked and applied at commit. */
  private stage<T>(
    table: TableDefinition<T>,
    id: string,
    expectedVersion: number,
    row: VersionedRow<T> | undefined,
  ): Transaction {
    const tx = this.transactions.getStore();
    if (tx === undefined) throw new Error("memory writes happen inside a unit of work");
    tx.writes.set(`${table.name}/${id}`, {
      table: table as TableDefinition<unknown>,
      id,
      expectedVersion,
      row,
    });
    return tx;
  }

  /** Called after each commit that appended events (the in-process stand-in for NOTIFY). */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  history(aggregateType: string, aggregateId: string): RecordedEvent[] {
    return this.log.filter((e) => e.aggregateType === aggregateType && e.aggregateId === aggregateId);
  }

  /**
   * Commits apply synchronously, one at a time, so append order is commit order and positions are
   * dense from 1: the events after a checkpoint start at index `position`.
   */
  readAfter(after: LogCheckpoint, limit: number): RecordedEvent[] {
    return this.log.slice(after.position, after.position + limit);
  }

  private committed(table: { readonly name: string }): Map<string, VersionedRow<unknown>> {
    let rows = this.tables.get(table.name);
    if (rows === undefined) {
      rows = new Map();
      this.tables.set(table.name, rows);
    }
    return rows;
  }

  private commit(tx: Transaction): void {
    for (const write of tx.writes.values()) {
      const current = this.committed(write.table).get(write.id)?.version ?? 0;
      if (current !== write.expectedVersion)
        throw new ConcurrencyConflict(write.table.name, write.id, write.expectedVersion);
      this.checkConstraints(write);
      this.checkUnique(write);
    }
    for (const write of tx.writes.values()) {
      if (write.row === undefined) this.committed(write.table).delete(write.id);
      else this.committed(write.table).set(write.id, write.row);
    }
    if (tx.events.length === 0) return;
    const transactionId = String(++this.commits);
    for (const event of tx.events) this.log.push({ ...event, position: this.log.length + 1, transactionId });
    for (const listener of this.appendListeners) listener();
  }

  private checkConstraints(write: StagedWrite): void {
    if (write.row === undefined) return;
    for (const [constraint, holds] of Object.entries(write.table.checks ?? {})) {
      if (!holds(write.row.value)) throw new CheckViolation(write.table.name, constraint);
    }
  }

  private checkUnique(write: StagedWrite): void {
    if (write.row === undefined) return;
    for (const [key, keyOf] of Object.entries(write.table.unique ?? {})) {
      const value = keyOf(write.row.value);
      const holder = this.findUnique(write.table, key, value);
      if (holder !== undefined && holder !== write.id) {
        throw (
          write.table.onUniqueViolation?.(key, value) ??
          new Error(`${write.table.name}.${key} ${value} is taken`)
        );
      }
    }
  }
}
