import { context, SpanKind, type Tracer, trace } from "@opentelemetry/api";
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from "kysely";
import { inSpan } from "./keel-tracing.js";

/** Long statements are cut: a span attribute is for recognising a query, not archiving it. */
const MAX_STATEMENT_CHARS = 2000;

/**
 * SQL spans for any Kysely dialect (pg and PGlite alike): one CLIENT span per statement, as a child
 * of the active span. Only as children: queries outside any span (the relay's polling, readiness
 * probes) would each start a trace of their own and bury the traces of requests. The statement is
 * the compiled SQL with its $n placeholders, never the parameter values, which may be personal data
 * or secrets.
 *
 * BEGIN, COMMIT and ROLLBACK are events on the active span (the unit of work's) rather than spans:
 * the unit of work's span already spans the transaction, and its end follows the COMMIT event, so
 * the commit's duration still shows. Two spans fewer per write is a quarter of what tracing costs it.
 */
export function tracedDialect(dialect: Dialect, tracer: Tracer): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TracedDriver(dialect.createDriver(), tracer),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

const DB = { "db.system": "postgresql" } as const;

function inTrace(): boolean {
  return trace.getSpan(context.active()) !== undefined;
}

class TracedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly tracer: Tracer,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!inTrace()) return this.inner.executeQuery(query);
    const operation = operationOf(query.sql);
    return inSpan(
      this.tracer,
      operation,
      {
        kind: SpanKind.CLIENT,
        leaf: true,
        attributes: {
          ...DB,
          "db.operation": operation,
          "db.statement": query.sql.slice(0, MAX_STATEMENT_CHARS),
        },
      },
      () => this.inner.executeQuery<R>(query),
    );
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class TracedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly tracer: Tracer,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new TracedConnection(await this.inner.acquireConnection(), this.tracer);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.step("BEGIN", () => this.inner.beginTransaction(innerOf(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.step("COMMIT", () => this.inner.commitTransaction(innerOf(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.step("ROLLBACK", () => this.inner.rollbackTransaction(innerOf(connection)));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  // Savepoints are passed on only when the wrapped driver has them, so Kysely sees the same abilities.
  get savepoint(): Driver["savepoint"] {
    const inner = this.inner.savepoint;
    return (
      inner && ((connection, name, compile) => inner.call(this.inner, innerOf(connection), name, compile))
    );
  }

  get rollbackToSavepoint(): Driver["rollbackToSavepoint"] {
    const inner = this.inner.rollbackToSavepoint;
    return (
      inner && ((connection, name, compile) => inner.call(this.inner, innerOf(connection), name, compile))
    );
  }

  get releaseSavepoint(): Driver["releaseSavepoint"] {
    const inner = this.inner.releaseSavepoint;
    return (
      inner && ((connection, name, compile) => inner.call(this.inner, innerOf(connection), name, compile))
    );
  }

  private step(operation: string, work: () => Promise<void>): Promise<void> {
    trace.getSpan(context.active())?.addEvent(operation);
    return work();
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof TracedConnection ? connection.inner : connection;
}

/** The statement's first keyword (SELECT, INSERT, WITH...), which names the span. */
function operationOf(sql: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(sql);
  return match?.[1] === undefined ? "SQL" : match[1].toUpperCase();
}
