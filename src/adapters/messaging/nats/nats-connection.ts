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
import { Subjects } from "../subjects.js";
import { declareStream } from "./declare.js";
import { type NatsOptions, type NatsSettings, natsSettings } from "./nats-settings.js";
import { atLeast } from "./server-version.js";

/**
 * One connection to NATS with keel's streams declared: the events stream and its dead letters.
 * The event bus and the dead letters share it; `check` is the readiness probe, `close` ends it.
 */
export class NatsJetStream {
  readonly subjects: Subjects;
  readonly js: JetStreamClient;
  readonly deadLetterStream: string;

  private constructor(
    readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly settings: NatsSettings,
  ) {
    this.subjects = new Subjects(settings.subjectPrefix);
    this.js = jetstream(nc);
    this.deadLetterStream = `${settings.stream}_dead_letters`;
  }

  static async connect(options: NatsOptions = {}): Promise<NatsJetStream> {
    const settings = natsSettings(options);
    const nc = await connect({ servers: settings.url, name: `keel:${settings.stream}` });
    try {
      const nats = new NatsJetStream(nc, await jetstreamManager(nc), settings);
      await nats.declareStreams();
      return nats;
    } catch (error) {
      await nc.close();
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

  /** Resolves when JetStream answers for this account; rejects otherwise. */
  async check(): Promise<void> {
    await this.jsm.getAccountInfo();
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.close();
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
