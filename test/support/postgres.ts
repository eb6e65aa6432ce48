import { randomBytes } from "node:crypto";
import pg from "pg";
import { decide, type ServiceDecision } from "./services.js";

/** The local server's `test` database unless DATABASE__URL says otherwise. */
export const POSTGRES_URL = process.env.DATABASE__URL ?? "postgres://postgres@127.0.0.1:5432/test";

let decision: Promise<ServiceDecision> | undefined;

/** Whether PostgreSQL suites run here: skipped with the reason locally, required under CI=true. */
export function postgresDecision(): Promise<ServiceDecision> {
  decision ??= decide("PostgreSQL", async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
  });
  return decision;
}

export interface TestSchema {
  /** DATABASE__URL whose connections resolve unqualified names in a schema of their own. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh schema per suite, so runs never see each other's rows; dropped afterwards. */
export async function createTestSchema(): Promise<TestSchema> {
  const name = `keel_test_${randomBytes(6).toString("hex")}`;
  // The first migration creates pg_trgm if it is missing; made once in public (on the search path of
  // every test schema), it is never created inside one suite's schema where another cannot see it.
  await admin("create extension if not exists pg_trgm with schema public");
  await admin(`create schema ${name}`);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${name},public`);
  return { url: url.toString(), name, drop: () => admin(`drop schema ${name} cascade`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
