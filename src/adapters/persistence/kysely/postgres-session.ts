import type pgTypes from "pg";
import { loadWhenUsed } from "../../load-when-used.js";

// Loaded by the first session opened: a process on the in-memory adapters never opens one.
const pg = loadWhenUsed<typeof import("pg")>("pg");

/** What bounds every connection to PostgreSQL: opening it, and waiting for one answer on it. */
export interface ConnectionTimeouts {
  readonly connectTimeoutMs: number;
  /** Client-side: a query the server cannot answer (a partition) fails after this. */
  readonly queryTimeoutMs: number;
}

/**
 * TCP keepalive on every connection, probing after this long idle: a peer that vanished (a NAT or
 * firewall that dropped the flow, a host that died) is eventually noticed even with no query running.
 */
const KEEPALIVE_IDLE_MS = 10_000;

/** pg settings shared by pooled connections and keel's dedicated sessions (relay lease, LISTEN). */
export function connectionOptions(url: string, applicationName: string, timeouts: ConnectionTimeouts) {
  return {
    connectionString: url,
    application_name: applicationName,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    query_timeout: timeouts.queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
  } satisfies pgTypes.ClientConfig;
}

/**
 * A connection of its own, outside the pool, whose failures go to `onError` rather than to the
 * process: an 'error' event with no listener would kill keel. The listener is there before connect,
 * so the window between connecting and the first query is covered too.
 */
export function openSession(
  url: string,
  applicationName: string,
  timeouts: ConnectionTimeouts,
  onError: (error: Error) => void,
): pgTypes.Client {
  const client = new (pg().Client)(connectionOptions(url, applicationName, timeouts));
  client.on("error", onError);
  return client;
}

/**
 * Ends a session politely, or cuts it after `timeoutMs`: on a partition the goodbye is never
 * acknowledged, and closing must not hang the relay or shutdown with it.
 */
export async function closeSession(client: pgTypes.Client, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      client.connection.stream.destroy();
      resolve();
    }, timeoutMs);
  });
  try {
    await Promise.race([client.end().catch(() => undefined), cut]);
  } finally {
    clearTimeout(timer);
  }
}
