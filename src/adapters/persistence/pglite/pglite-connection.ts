import type { PGlite, Results } from "@electric-sql/pglite";
import type { CompiledQuery, DatabaseConnection, QueryResult } from "kysely";

const COMMANDS_THAT_AFFECT_ROWS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

/**
 * The one connection to an embedded PGlite database. It does no locking of its own: the driver
 * hands it to one holder at a time.
 */
export class PgliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    let result: Results | undefined;
    try {
      result = await this.#run(query);
    } catch (error) {
      throw likePgError(error, new Error());
    }
    return {
      rows: (result?.rows ?? []) as R[],
      numAffectedRows:
        result?.command !== undefined && COMMANDS_THAT_AFFECT_ROWS.has(result.command)
          ? BigInt(result.rowCount ?? 0)
          : undefined,
    };
  }

  /**
   * Not supported: PGlite hands back whole results, so a "stream" would hold every row in memory
   * anyway, and the pg dialect streams only with a cursor library keel does not configure. Read
   * large tables in keyset pages (`where position > last order by position limit n`) instead,
   * which behaves the same on both databases.
   */
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error(
      "PgliteDialect does not support streaming (Kysely's .stream()); read in keyset pages instead",
    );
  }

  // Like pg, a query without parameters goes over the simple-query protocol (PGlite's `exec`),
  // which accepts several statements at once, so a migration script runs the same on both;
  // parameters need the extended protocol (PGlite's `query`), which takes one statement.
  async #run(query: CompiledQuery): Promise<Results | undefined> {
    if (query.parameters.length > 0) return this.#pglite.query(query.sql, [...query.parameters]);
    const results = await this.#pglite.exec(query.sql);
    return results.at(-1);
  }
}

/**
 * PGlite's errors already carry pg's fields (SQLSTATE `code`, `constraint`, `detail`, ...), with
 * two differences made good here. They hold the statement's bound values, which pg's do not: those
 * may be personal data or secrets that an error log would keep, so they go. And their stack ends
 * inside PGlite's WASM, so the caller's (async) stack is appended, as Kysely's pg driver does.
 */
function likePgError(error: unknown, callSite: Error): unknown {
  if (!(error instanceof Error)) return error;
  if ("params" in error) delete error.params;
  const callers = callSite.stack?.split("\n").slice(1).join("\n");
  if (callers) error.stack = `${error.stack ?? String(error)}\n${callers}`;
  return error;
}
