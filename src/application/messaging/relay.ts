import type { Clock } from "../../ports/clock.js";
import type { EventBus } from "../../ports/event-bus.js";
import { checkpointOf, type EventLog, type LogCheckpoint } from "../../ports/event-log.js";
import type { Logger } from "../../ports/logger.js";
import type { LogWatcher, RelayCheckpoints, RelayLease } from "../../ports/relay-state.js";

export interface RelaySettings {
  /** Events read and published per round. */
  readonly batchSize: number;
  /** Longest wait for a wake-up signal before looking again (the fallback poll). */
  readonly pollMs: number;
  /** How often a standby relay tries to take the lease. */
  readonly standbyMs: number;
}

export interface RelayLag {
  /** Events in the log the relay has not yet published (as of its last round). */
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
  private lag: RelayLag = { events: 0, seconds: 0 };

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
    await this.watcher.close();
    await this.running;
    await this.lease.release();
  }

  currentLag(): RelayLag {
    return this.lag;
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
    // A short batch means the relay caught up with what was committed; only a full one asks how far behind.
    const backlog = events.length < this.settings.batchSize ? undefined : await this.log.backlog(checkpoint);
    const oldest = backlog?.oldestOccurredAt === undefined ? undefined : Date.parse(backlog.oldestOccurredAt);
    this.lag = {
      events: backlog?.events ?? 0,
      seconds: oldest === undefined ? 0 : Math.max(0, (this.clock.now().getTime() - oldest) / 1000),
    };
    return events.length;
  }

  private async loop(): Promise<void> {
    let leader = false;
    let standingBy = false;
    while (!this.stopping) {
      try {
        if (!leader) {
          leader = await this.lease.tryAcquire();
          if (!leader) {
            if (!standingBy) this.logger.info({}, "relay is standing by: another relay holds the lease");
            standingBy = true;
            await this.watcher.wait(this.settings.standbyMs);
            continue;
          }
          standingBy = false;
          this.logger.info({}, "relay is active");
        }
        const published = await this.publishBatch();
        if (published < this.settings.batchSize) await this.watcher.wait(this.settings.pollMs);
      } catch (error) {
        this.logger.error({ err: error }, "relay round failed; retrying");
        leader = false;
        await this.lease.release().catch(() => undefined);
        await this.watcher.wait(this.settings.standbyMs);
      }
    }
  }
}
