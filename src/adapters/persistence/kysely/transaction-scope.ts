import { AsyncLocalStorage } from "node:async_hooks";
import type { Kysely, Transaction } from "kysely";
import type { EventMetadata } from "../../../ports/event-log.js";
import type { Database } from "./database.js";

interface OpenTransaction {
  readonly trx: Transaction<Database>;
  readonly metadata: EventMetadata;
}

/**
 * Carries the open transaction of the current unit of work to the repositories called inside it,
 * so handlers stay unaware of transactions: they load and save; the unit of work commits.
 */
export class TransactionScope {
  private readonly open = new AsyncLocalStorage<OpenTransaction>();

  constructor(readonly db: Kysely<Database>) {}

  /** Runs `work` in a transaction; nested calls join the outer one. */
  run<T>(metadata: EventMetadata, work: () => Promise<T>): Promise<T> {
    if (this.open.getStore() !== undefined) return work();
    return this.db.transaction().execute((trx) => this.open.run({ trx, metadata }, work));
  }

  /** The current transaction; writes outside a unit of work are a programming error. */
  current(): OpenTransaction {
    const open = this.open.getStore();
    if (open === undefined) throw new Error("repositories write inside a unit of work");
    return open;
  }

  /** The transaction when inside one (reads see its own writes), else the pool. */
  reader(): Kysely<Database> {
    return this.open.getStore()?.trx ?? this.db;
  }
}
