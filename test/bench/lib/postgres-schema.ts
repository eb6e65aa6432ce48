/**
 * A fresh PostgreSQL schema per target, so benchmark rows never mix with the `test` database's
 * others (or a previous run's), and every target starts from the same empty tables.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { registerCleanup } from "./cleanup.js";

/** The server the postgres targets write to (`BENCH_DATABASE_URL`). */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface BenchSchema {
  readonly name: string;
  /** BENCH_DATABASE_URL whose connections resolve unqualified names in this schema first. */
  readonly url: string;
  /** Drops the schema and everything in it; safe to call more than once. */
  drop(): Promise<void>;
}

/** Benchmarks never skip: an unreachable server fails the run, saying what to do instead. */
export async function assertPostgresReachable(
  needs = "the write-path targets keel-postgres and raw-pg need it: start it, point BENCH_DATABASE_URL " +
    "at one, or leave them out with BENCH_ONLY=keel-pglite",
): Promise<void> {
  try {
    await withClient(async () => {});
  } catch (error) {
    throw new Error(
      `PostgreSQL is unreachable at ${redacted(BENCH_DATABASE_URL)} (${message(error)}); ${needs}`,
    );
  }
}

export async function createBenchSchema(): Promise<BenchSchema> {
  const name = `keel_bench_${randomBytes(6).toString("hex")}`;
  await withClient(async (client) => {
    await ensureTrigramsInPublic(client);
    await client.query(`create schema ${name}`);
  });
  const url = new URL(BENCH_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${name},public`);
  const drop = registerCleanup(async () => {
    try {
      await withClient((client) => client.query(`drop schema if exists ${name} cascade`));
    } catch (error) {
      throw new Error(`could not drop benchmark schema ${name}: ${message(error)}`);
    }
  });
  return { name, url: url.toString(), drop };
}

/**
 * keel's first migration runs `create extension if not exists pg_trgm`. Left to it, the extension
 * would land in this run's schema (first on the search path): while it lives there, every other
 * schema's migration (a test suite running meanwhile) finds the extension "existing" but cannot see
 * its operator class and fails. Installed once in public, which every search path ends with, the
 * migration's statement is a no-op and nothing of it goes when the schema is dropped.
 */
async function ensureTrigramsInPublic(client: pg.Client): Promise<void> {
  await client.query("create extension if not exists pg_trgm with schema public");
  const found = await client.query<{ schema: string }>(
    "select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'",
  );
  const schema = found.rows[0]?.schema;
  if (schema !== "public") {
    throw new Error(
      `pg_trgm is installed in schema ${schema ?? "(none)"}, not public, so keel's migration cannot ` +
        "create its trigram index in the benchmark schema (another run's schema holds it; retry once it ends)",
    );
  }
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_DATABASE_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The URL with its password hidden, for messages and result files. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

function message(error: unknown): string {
  // A refused connection to a host with several addresses is an AggregateError with an empty message.
  if (error instanceof AggregateError && error.message === "") return error.errors.map(message).join("; ");
  return error instanceof Error ? error.message : String(error);
}
