import { randomBytes } from "node:crypto";
import pg from "pg";
import type { FaultProxy } from "./fault-proxy.js";
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

/**
 * Ends the sessions PostgreSQL sees coming from `proxy` (its upstream ports), as a server restart, a
 * failover or an operator does; no other session is touched. Returns how many were ended.
 */
export async function terminateSessionsOf(proxy: FaultProxy): Promise<number> {
  const ports = proxy.upstreamPorts;
  if (ports.length === 0) return 0;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ ended: boolean }>(
      `select pg_terminate_backend(pid) as ended from pg_stat_activity
        where client_port = any($1::int[]) and client_addr = inet_client_addr()`,
      [ports],
    );
    return rows.filter((row) => row.ended).length;
  } finally {
    await admin.end();
  }
}
