import pg from "pg";
import type { LogWatcher, RelayLease } from "../../../ports/relay-state.js";
import { WakeUps } from "../../wake-ups.js";

/** The first half of the lock's two-part key: keel's relays; the second half is the schema's hash. */
const RELAY_LOCK_CLASS = 0x6b65656c; // "keel"

/**
 * The relay's lease is a session-level advisory lock on a connection of its own: PostgreSQL frees
 * it when that session ends, so a relay that dies (even SIGKILL) hands over to a standby at once.
 */
export class PostgresRelayLease implements RelayLease {
  private client: pg.Client | undefined;

  constructor(private readonly url: string) {}

  async tryAcquire(): Promise<boolean> {
    if (this.client !== undefined) return true;
    const client = new pg.Client({ connectionString: this.url, application_name: "keel-relay-lease" });
    await client.connect();
    // Keyed by schema: deployments sharing a database in separate schemas have separate logs, so
    // each needs its own active relay.
    const { rows } = await client.query<{ acquired: boolean }>(
      "select pg_try_advisory_lock($1, hashtext(current_schema())) as acquired",
      [RELAY_LOCK_CLASS],
    );
    if (rows[0]?.acquired === true) {
      // A broken lease connection means the lock is gone: forget it, the next round re-acquires.
      client.on("error", () => {
        this.client = undefined;
      });
      this.client = client;
      return true;
    }
    await client.end();
    return false;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end();
  }
}

/** LISTEN on the channel the events trigger notifies, with the poll timeout as a fallback. */
export class PostgresLogWatcher implements LogWatcher {
  private readonly wakeUps = new WakeUps();
  private client: Promise<pg.Client> | undefined;
  private closed = false;

  constructor(private readonly url: string) {}

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
    await (await client?.catch(() => undefined))?.end();
  }

  private listen(): Promise<pg.Client> {
    this.client ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, application_name: "keel-relay-listen" });
      client.on("notification", () => this.wakeUps.wakeAll());
      client.on("error", () => {
        this.client = undefined;
      });
      await client.connect();
      await client.query("listen keel_events");
      return client;
    })();
    return this.client;
  }
}
