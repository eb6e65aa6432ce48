import type { Clock } from "../../ports/clock.js";
import type { EventBus } from "../../ports/event-bus.js";
import { checkpointOf, type EventLog, type LogCheckpoint } from "../../ports/event-log.js";
import type { Logger } from "../../ports/logger.js";
import type { LogWatcher, RelayCheckpoints, RelayLease } from "../../ports/relay-state.js";
import { InterruptiblePause } from "../shared/interruptible-pause.js";

export interface RelaySettings {
  /** Events read and published per round. */
  readonly batchSize: number;
  /** Longest wait for a wake-up signal before looking again (the fallback poll). */
  readonly pollMs: number;
  /** How often a standby relay tries to take the lease; also the first pause after a failed round. */
  readonly standbyMs: number;
  /** Longest pause between failed rounds: the pause doubles from `standbyMs` up to this. */
  readonly maxRetryMs: number;
}

export interface RelayLag {
  /** Committed events after the relay's checkpoint: not yet published. */
  readonly events: number;
  /** Age of the oldest of them, in seconds; 0 when caught up. */
  readonly seconds: number;
}

/**
 * Publishes the event log to the bus (ARCHITECTURE.md, "Events, end to end"): reads after its
 * checkpoint in commit-safe order, publishes each event and waits for the bus to accept it, then
 * moves the checkpoint. A crash between publish and checkpoint republishes events, which the bus
 * drops as duplicates by event id: at least once, nothing lost, in order per aggregate.
 */
export class Relay {
  private running: Promise<void> | undefined;
  private stopping = false;
  private readonly pauses = new InterruptiblePause();

  constructor(
    private readonly log: EventLog,
    private readonly bus: EventBus,
    private readonly checkpoints: RelayCheckpoints,
    private readonly lease: RelayLease,
    private readonly watcher: LogWatcher,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: RelaySettings,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.pauses.interrupt();
    await this.watcher.close();
    await this.running;
    await this.lease.release();
  }

  /**
   * How far behind the log the published events are, read from the log and the stored checkpoint,
   * not from this relay's last round: a relay that cannot publish (or a standby whose active relay
   * died) has no round to report, and the lag must grow all the same.
   */
  async lag(): Promise<RelayLag> {
    const backlog = await this.log.backlog(await this.checkpoints.load());
    if (backlog.oldestOccurredAt === undefined) return { events: 0, seconds: 0 };
    const age = (this.clock.now().getTime() - Date.parse(backlog.oldestOccurredAt)) / 1000;
    return { events: backlog.events, seconds: Math.max(0, age) };
  }

  /** One round: publish what is there, up to a batch. Returns how many were published. */
  async publishBatch(): Promise<number> {
    let checkpoint: LogCheckpoint = await this.checkpoints.load();
    const events = await this.log.readAfter(checkpoint, this.settings.batchSize);
    for (const event of events) {
      await this.bus.publish(event);
      checkpoint = checkpointOf(event);
    }
    if (events.length > 0) await this.checkpoints.save(checkpoint);
    return events.length;
  }

  private async loop(): Promise<void> {
    let leader = false;
    let standingBy = false;
    let failures = 0;
    while (!this.stopping) {
      try {
        // Asked every round, not only once: a lease can be lost without a failed round (its session
        // ended by a failover or pg_terminate_backend), and a relay that went on publishing without
        // it would race the standby that took it. While held, the answer costs nothing.
        if (!(await this.lease.tryAcquire())) {
          if (leader) this.logger.warn({}, "relay lost its lease; standing by");
          else if (!standingBy) this.logger.info({}, "relay is standing by: another relay holds the lease");
          leader = false;
          standingBy = true;
          failures = 0;
          await this.watcher.wait(this.settings.standbyMs);
          continue;
        }
        if (!leader) {
          leader = true;
          standingBy = false;
          // A failed round gives the lease up; taking it back is news only when nothing failed.
          if (failures === 0) this.logger.info({}, "relay is active");
        }
        const published = await this.publishBatch();
        if (failures > 0) this.logger.info({ failedRounds: failures }, "relay recovered");
        failures = 0;
        if (published < this.settings.batchSize) await this.watcher.wait(this.settings.pollMs);
      } catch (error) {
        failures += 1;
        const retryMs = Math.min(this.settings.standbyMs * 2 ** (failures - 1), this.settings.maxRetryMs);
        // Through an outage the same failure repeats every few seconds: the 1st, 2nd, 4th, 8th...
        // are enough to say it goes on (and "relay recovered" gives the total).
        const level = Number.isInteger(Math.log2(failures)) ? "error" : "debug";
        this.logger[level]({ err: error, failedRounds: failures, retryMs }, "relay round failed; retrying");
        leader = false;
        await this.lease.release().catch(() => undefined);
        // A plain pause, not the watcher: every append wakes the watcher, so while the bus is down
        // the relay would otherwise fail once per write.
        await this.pauses.wait(retryMs);
      }
    }
  }
}
