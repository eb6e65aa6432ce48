import type { PGlite } from "@electric-sql/pglite";
import {
  CompiledQuery,
  createQueryId,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  IdentifierNode,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  RawNode,
  type TransactionSettings,
} from "kysely";
import { Mutex } from "./mutex.js";
import { PgliteConnection } from "./pglite-connection.js";

export interface PgliteDialectConfig {
  /**
   * The database, or a factory called on first use. The driver owns it from then on (it closes it
   * on `destroy`) and must be its only user: PGlite's own `query` between our statements would
   * land inside our open transaction.
   */
  readonly pglite: PGlite | (() => Promise<PGlite>);
}

/** Kysely over embedded PGlite: PostgreSQL's adapter, compiler and introspector, our driver. */
export class PgliteDialect implements Dialect {
  readonly #config: PgliteDialectConfig;

  constructor(config: PgliteDialectConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    return new PgliteDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/**
 * PGlite is one PostgreSQL session, so the driver has one connection, lent to one holder at a
 * time. Kysely holds it from BEGIN to COMMIT or ROLLBACK, so while a transaction is open every
 * other query — including one issued on the same Kysely instance outside the transaction —
 * waits its turn instead of running inside the transaction and sharing its fate.
 */
export class PgliteDriver implements Driver {
  readonly #config: PgliteDialectConfig;
  readonly #lock = new Mutex();
  #pglite: PGlite | undefined;
  #connection: PgliteConnection | undefined;

  constructor(config: PgliteDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    const { pglite } = this.#config;
    this.#pglite = typeof pglite === "function" ? await pglite() : pglite;
    this.#connection = new PgliteConnection(this.#pglite);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = this.#connection;
    if (connection === undefined) throw new Error("PgliteDriver.init() has not been called");
    await this.#lock.lock();
    return connection;
  }

  async releaseConnection(): Promise<void> {
    this.#lock.unlock();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : "";
    const access = settings.accessMode ? ` ${settings.accessMode}` : "";
    await connection.executeQuery(CompiledQuery.raw(`start transaction${isolation}${access}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand("savepoint", name), createQueryId()));
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand("rollback to", name), createQueryId()));
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand("release", name), createQueryId()));
  }

  /**
   * Lets the work already queued finish (as pg's `pool.end()` does), then closes PGlite. Kysely
   * calls this once and refuses every later query itself ("driver has already been destroyed").
   */
  async destroy(): Promise<void> {
    const pglite = this.#pglite;
    if (pglite === undefined) return;
    await this.#lock.lock();
    try {
      if (!pglite.closed) await pglite.close();
    } finally {
      this.#lock.unlock();
    }
  }
}

/** As Kysely's PostgresDriver builds it: the name goes through the compiler, which quotes it. */
function savepointCommand(command: string, name: string): RawNode {
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}
