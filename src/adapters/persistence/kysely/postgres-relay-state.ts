import type pg from "pg";
import type { LogWatcher, RelayLease } from "../../../ports/relay-state.js";
import { WakeUps } from "../../wake-ups.js";
import { translated } from "./postgres-connection-failure.js";
import { type ConnectionTimeouts, closeSession, openSession } from "./postgres-session.js";

/** The first half of the lock's two-part key: keel's relays; the second half is the schema's hash. */
const RELAY_LOCK_CLASS = 0x6b65656c; // "keel"

/** Used where no timeouts are given (tests of the lock itself): generous, but never unbounded. */
const DEFAULT_TIMEOUTS: ConnectionTimeouts = { connectTimeoutMs: 5000, queryTimeoutMs: 16_000 };

/**
 * The relay's lease is a session-level advisory lock on a connection of its own: PostgreSQL frees
 * it when that session ends, so a relay that dies (even SIGKILL) hands over to a standby at once.
 */
export class PostgresRelayLease implements RelayLease {
  private client: pg.Client | undefined;

  constructor(
    private readonly url: string,
    private readonly timeouts: ConnectionTimeouts = DEFAULT_TIMEOUTS,
  ) {}

  async tryAcquire(): Promise<boolean> {
    if (this.client !== undefined) return true;
    // A broken lease connection means the lock is gone: forget it (the next round re-acquires) and
    // make sure the connection is closed.
    const client = openSession(this.url, "keel-relay-lease", this.timeouts, () => {
      if (this.client !== client) return;
      this.client = undefined;
      void closeSession(client, this.timeouts.connectTimeoutMs);
    });
    try {
      await client.connect();
      // Keyed by schema: deployments sharing a database in separate schemas have separate logs, so
      // each needs its own active relay.
      const { rows } = await client.query<{ acquired: boolean }>(
        "select pg_try_advisory_lock($1, hashtext(current_schema())) as acquired",
        [RELAY_LOCK_CLASS],
      );
      if (rows[0]?.acquired === true) {
        this.client = client;
        return true;
      }
    } catch (error) {
      // Ending the session also frees a lock whose grant was lost on the way back.
      await closeSession(client, this.timeouts.connectTimeoutMs);
      throw translated(error);
    }
    await closeSession(client, this.timeouts.connectTimeoutMs);
    return false;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await closeSession(client, this.timeouts.connectTimeoutMs);
  }
}

/**
 * LISTEN on the channel a trigger notifies — `keel_events` on every append to the log (the relay's),
 * `keel_jobs` on every new job (the job runner's) — with the poll timeout as a fallback.
 */
export class PostgresLogWatcher implements LogWatcher {
  private readonly wakeUps = new WakeUps();
  private client: Promise<pg.Client> | undefined;
  /** The connection `client` resolved to, once it listens. */
  private listening: pg.Client | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly timeouts: ConnectionTimeouts = DEFAULT_TIMEOUTS,
    private readonly channel: "keel_events" | "keel_jobs" = "keel_events",
  ) {}

  async wait(timeoutMs: number): Promise<void> {
    // After close, a last round of the relay must not open a new listening connection.
    if (this.closed) return;
    try {
      await this.listen();
    } catch {
      // No listener: the timeout alone paces the relay until the next attempt.
      this.client = undefined;
    }
    await this.wakeUps.sleep(timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeUps.wakeAll();
    const client = this.client;
    this.client = undefined;
    const open = await client?.catch(() => undefined);
    if (open !== undefined) await closeSession(open, this.timeouts.connectTimeoutMs);
  }

  private listen(): Promise<pg.Client> {
    this.client ??= this.open();
    return this.client;
  }

  private async open(): Promise<pg.Client> {
    const name = this.channel === "keel_events" ? "keel-relay-listen" : "keel-jobs-listen";
    const listening = openSession(this.url, name, this.timeouts, () => {
      // A broken connection hears nothing more: forget it (the next wait listens again) and end it.
      if (this.listening === listening) {
        this.listening = undefined;
        this.client = undefined;
      }
      void closeSession(listening, this.timeouts.connectTimeoutMs);
    });
    listening.on("notification", () => this.wakeUps.wakeAll());
    try {
      await listening.connect();
      // The channel is one of two fixed names, never input.
      await listening.query(`listen ${this.channel}`);
    } catch (error) {
      await closeSession(listening, this.timeouts.connectTimeoutMs);
      throw error;
    }
    this.listening = listening;
    return listening;
  }
}
