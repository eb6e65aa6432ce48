import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";
import { databaseUnavailable, isConnectionFailure, translated } from "./postgres-connection-failure.js";

/**
 * The pg pool as Kysely's PostgresDialect uses it, made safe for a database that goes away:
 * - every connection has an 'error' listener for its whole life. pg-pool listens only while a
 *   connection is idle; one checked out (a transaction between statements) that breaks would emit
 *   'error' with no listener, and that kills the process.
 * - a connection failure (refused, reset, terminated by the server, timed out) reaches the caller as
 *   DependencyUnavailable("database"), for every query Kysely runs; SQL errors pass unchanged.
 * - a connection that failed is destroyed when released, never handed out again: after a query
 *   timeout its lost query is still outstanding, and the next one would queue behind it for ever. Its
 *   later statements (the rollback Kysely sends) fail at once instead of waiting for a second timeout.
 */
export class GuardedPool implements PostgresPool {
  /** Connections that failed, with why; a WeakMap, so a destroyed connection is forgotten. */
  private readonly failed = new WeakMap<pg.PoolClient, Error>();

  constructor(private readonly pool: pg.Pool) {
    pool.on("connect", (client) => {
      client.on("error", (error) => this.failed.set(client, error));
    });
  }

  async connect(): Promise<PostgresPoolClient> {
    try {
      return new GuardedClient(await this.pool.connect(), this.failed);
    } catch (error) {
      throw translated(error);
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

/** One checkout of a pooled connection. */
class GuardedClient implements PostgresPoolClient {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly failed: WeakMap<pg.PoolClient, Error>,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== "string") {
      // Streaming (pg-cursor) is not configured in keel's dialect; pass it through untouched.
      return this.client.query(sqlOrCursor as unknown as pg.Submittable) as unknown as PostgresCursor<R>;
    }
    return this.run<R>(sqlOrCursor, parameters ?? []);
  }

  release(): void {
    // An Error tells pg-pool to destroy the connection instead of keeping it.
    this.client.release(this.failed.get(this.client));
  }

  private async run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    const failure = this.failed.get(this.client);
    if (failure !== undefined) throw databaseUnavailable(failure);
    try {
      return (await this.client.query(sql, [...parameters])) as unknown as PostgresQueryResult<R>;
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
      this.failed.set(this.client, error as Error);
      throw databaseUnavailable(error);
    }
  }
}
