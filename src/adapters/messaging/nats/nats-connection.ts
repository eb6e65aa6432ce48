import {
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { connect, type NatsConnection, nanos } from "@nats-io/transport-node";
import { DependencyUnavailable } from "../../../ports/dependency-unavailable.js";
import { Subjects } from "../subjects.js";
import { declareStream } from "./declare.js";
import { type NatsOptions, type NatsSettings, natsSettings } from "./nats-settings.js";
import { atLeast } from "./server-version.js";

/**
 * How the client rides out an outage. It never gives up (the library's default gives up after 10
 * attempts, about 20 s, and leaves the connection closed for good). Attempts are 1 to 2 s apart: a
 * fixed wait plus up to 1 s of jitter, so that the processes of a fleet do not redial in step. A
 * refused attempt costs the server nothing, so the wait does not grow; it also bounds how long after
 * an outage the process is back. It pings every 5 s and drops the connection after two unanswered
 * pings, so a connection gone silent (a partition: no error, no data) is redialled within about 15 s
 * instead of the default 4 to 6 minutes; a handshake not done in 5 s counts as a failed attempt.
 */
export const RIDE_OUT = {
  maxReconnectAttempts: -1,
  reconnectTimeWait: 1000,
  reconnectJitter: 1000,
  pingInterval: 5000,
  maxPingOut: 2,
  timeout: 5000,
} as const;

/** Seconds a caller may wait before the bus is worth trying again (the reconnect wait, rounded up). */
const RETRY_AFTER_SECONDS = 2;

/**
 * Where the event bus gets its connection: one already open (NatsJetStream), or one a long-running
 * process is still opening in the background (NatsLink).
 */
export interface NatsSource {
  readonly settings: NatsSettings;
  readonly subjects: Subjects;
  /** The connection if it can carry traffic now: open and not between reconnect attempts. */
  usable(): NatsJetStream | undefined;
  /** The connection once it is open (at once if it is, even while reconnecting); rejects once it never will be. */
  opened(): Promise<NatsJetStream>;
}

/**
 * One connection to NATS with keel's streams declared: the events stream and its dead letters.
 * The event bus and the dead letters share it; `check` is the readiness probe, `beyondRecovery` the
 * liveness one, `close` ends it.
 */
export class NatsJetStream implements NatsSource {
  readonly subjects: Subjects;
  readonly js: JetStreamClient;
  readonly deadLetterStream: string;
  private reachable = true;
  private closing = false;
  private lost: string | undefined;

  private constructor(
    readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly settings: NatsSettings,
  ) {
    this.subjects = new Subjects(settings.subjectPrefix);
    this.js = jetstream(nc);
    this.deadLetterStream = `${settings.stream}_dead_letters`;
    this.watch();
  }

  /** Fails at once when the server cannot be reached; once open, the client reconnects by itself. */
  static async connect(options: NatsOptions = {}): Promise<NatsJetStream> {
    const settings = natsSettings(options);
    const nc = await connect({ servers: settings.url, name: `keel:${settings.stream}`, ...RIDE_OUT });
    let nats: NatsJetStream | undefined;
    try {
      nats = new NatsJetStream(nc, await jetstreamManager(nc), settings);
      await nats.declareStreams();
      return nats;
    } catch (error) {
      await (nats?.close() ?? nc.close());
      throw error;
    }
  }

  /**
   * Servers before 2.10 take a single consumer filter; a subscription needs several (its event
   * types and its re-drive subject), so there the consumer reads the stream and skips what is not
   * its own.
   */
  get filtersOnServer(): boolean {
    return atLeast(this.nc.info?.version, 2, 10);
  }

  usable(): NatsJetStream | undefined {
    return this.reachable && !this.nc.isClosed() ? this : undefined;
  }

  async opened(): Promise<NatsJetStream> {
    if (this.nc.isClosed()) throw new Error(this.lost ?? "the NATS connection is closed");
    return this;
  }

  /** Resolves when JetStream answers for this account; rejects otherwise (fast while reconnecting). */
  async check(): Promise<void> {
    if (this.lost !== undefined) throw new Error(this.lost);
    if (!this.reachable) throw new Error("disconnected; reconnecting");
    await this.jsm.getAccountInfo();
  }

  /** Why the client gave up for good (only a restart helps), or undefined while open or reconnecting. */
  beyondRecovery(): string | undefined {
    return this.lost;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.nc.isClosed()) await this.nc.close();
  }

  private watch(): void {
    void (async () => {
      for await (const status of this.nc.status()) {
        if (status.type === "disconnect") {
          this.reachable = false;
          this.settings.onConnection("disconnected", status.server);
        } else if (status.type === "reconnect") {
          this.reachable = true;
          this.settings.onConnection("reconnected", status.server);
        }
      }
    })();
    // Reconnecting forever, the client closes by itself only on what retrying cannot fix (its
    // credentials refused, a protocol error); liveness then asks for a restart.
    void this.nc.closed().then((error) => {
      this.reachable = false;
      if (this.closing) return;
      this.lost = `the NATS connection closed for good: ${error instanceof Error ? error.message : "no reason given"}`;
      this.settings.onError(error ?? new Error(this.lost), "event bus");
    });
  }

  private async declareStreams(): Promise<void> {
    const { stream, duplicateWindowMs } = this.settings;
    const common = {
      // Limits retention: every subscription reads the same messages at its own pace.
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(duplicateWindowMs),
    };
    await declareStream(this.jsm, { ...common, name: stream, subjects: this.subjects.eventStreamSubjects });
    await declareStream(this.jsm, {
      ...common,
      name: this.deadLetterStream,
      subjects: [this.subjects.deadLetterSubjects],
      // Listing reads by sequence (direct get, next by subject), with no consumer to create.
      allow_direct: true,
    });
  }
}

/** What the bus answers while it has no usable connection: the core and HTTP know it as a 503. */
export function busUnavailable(cause?: unknown): DependencyUnavailable {
  return new DependencyUnavailable("event-bus", RETRY_AFTER_SECONDS, { cause });
}
