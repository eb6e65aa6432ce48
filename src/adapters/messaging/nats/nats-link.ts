import { InterruptiblePause } from "../../../application/shared/interruptible-pause.js";
import { Subjects } from "../subjects.js";
import { busUnavailable, NatsJetStream, type NatsSource, RIDE_OUT } from "./nats-connection.js";
import { type NatsOptions, type NatsSettings, natsSettings } from "./nats-settings.js";

/**
 * The NATS connection of a process, opened one of two ways:
 * - `connect()`, for a one-shot command: one attempt, and the command fails if NATS is not there;
 * - `open()`, for a long-running process (the worker, or serve running it): if the first attempt
 *   fails, it keeps trying in the background, so the process starts, answers its probes and reports
 *   the bus as down instead of exiting while NATS is unreachable.
 * Once open, the client reconnects by itself (NatsJetStream); a fresh connection is only ever made
 * before the first one opens.
 */
export class NatsLink implements NatsSource {
  readonly settings: NatsSettings;
  readonly subjects: Subjects;
  private connection: NatsJetStream | undefined;
  private lastError: unknown;
  private closing = false;
  private connecting: Promise<void> | undefined;
  private firstAttempt: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  private readonly waiting = new Set<{
    resolve: (nats: NatsJetStream) => void;
    reject: (e: Error) => void;
  }>();
  private readonly pauses = new InterruptiblePause();

  constructor(options: NatsOptions) {
    this.settings = natsSettings(options);
    this.subjects = new Subjects(this.settings.subjectPrefix);
  }

  /** One attempt (shared by callers that ask at once); a failure is the bus being unavailable. */
  connect(): Promise<void> {
    if (this.connection !== undefined) return Promise.resolve();
    this.connecting ??= NatsJetStream.connect(this.settings).then(
      (connection) => this.adopt(connection),
      (error: unknown) => {
        this.connecting = undefined;
        // Refused, timed out or turned away: the command cannot run now, and says so in one line
        // that names the server (its host only: the URL may hold credentials).
        const reason = error instanceof Error ? error.message : String(error);
        throw busUnavailable(new Error(`NATS at ${new URL(this.settings.url).host}: ${reason}`));
      },
    );
    return this.connecting;
  }

  /** Resolves after the first attempt, connected or not; a failed one is retried in the background. */
  open(): Promise<void> {
    this.firstAttempt ??= new Promise((firstAttemptDone) => {
      this.opening = this.keepTrying(() => firstAttemptDone()).finally(() => firstAttemptDone());
    });
    return this.firstAttempt;
  }

  usable(): NatsJetStream | undefined {
    return this.connection?.usable();
  }

  opened(): Promise<NatsJetStream> {
    if (this.connection !== undefined) return this.connection.opened();
    if (this.closing) return Promise.reject(new Error("the NATS connection is closed"));
    return new Promise((resolve, reject) => this.waiting.add({ resolve, reject }));
  }

  /** The bus's readiness: down until the first connection opens, and while reconnecting. */
  async check(): Promise<void> {
    if (this.connection !== undefined) return this.connection.check();
    const reason = this.lastError instanceof Error ? `: ${this.lastError.message}` : "";
    throw new Error(`not connected yet${reason}`);
  }

  /** Liveness: only a connection the client gave up on is beyond recovery; not connecting yet is not. */
  beyondRecovery(): string | undefined {
    return this.connection?.beyondRecovery();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.pauses.interrupt();
    await this.connecting?.catch(() => undefined);
    await this.opening;
    for (const waiter of this.waiting) waiter.reject(new Error("the NATS connection is closed"));
    this.waiting.clear();
    await this.connection?.close();
  }

  private async keepTrying(firstAttemptDone: () => void): Promise<void> {
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        const connection = await NatsJetStream.connect(this.settings);
        if (this.closing) {
          await connection.close();
          return;
        }
        this.adopt(connection);
        if (attempt > 1) this.settings.onConnection("connected", this.settings.url);
        return;
      } catch (error) {
        this.lastError = error;
        if (attempt === 1)
          this.settings.onError(error, "event bus: not reachable; connecting in the background");
      } finally {
        firstAttemptDone();
      }
      await this.pauses.wait(RIDE_OUT.reconnectTimeWait + Math.random() * RIDE_OUT.reconnectJitter);
    }
  }

  private adopt(connection: NatsJetStream): void {
    this.connection = connection;
    for (const waiter of this.waiting) waiter.resolve(connection);
    this.waiting.clear();
  }
}
