import { DependencyUnavailable } from "../../../ports/dependency-unavailable.js";
import { PermanentFailure, type Subscription } from "../../../ports/event-bus.js";
import { backoffAfter, reasonOf } from "../bus-settings.js";
import type { LogEntry, MemoryBusState } from "./memory-bus-state.js";

/**
 * The in-memory counterpart of a durable JetStream consumer: a position in the log and the attempt
 * count of the event at that position, kept while no subscriber is attached, so subscribing again
 * under the same name resumes after the last acknowledged event. One delivery at a time (like
 * `max_ack_pending: 1`), which is what keeps events of one aggregate in order through retries.
 * Subscribers attached under the same name share it and take turns, like workers sharing a consumer.
 */
export class MemoryConsumer {
  private position = 0;
  private attempt = 1;
  /** Tries of the current event that met an outage; they pace the retries but are not attempts. */
  private outages = 0;
  private eventTypes = new Set<string>();
  private readonly members: Subscription[] = [];
  private turn = 0;
  private running: Promise<void> | undefined;
  private inFlight: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    private readonly name: string,
    private readonly state: MemoryBusState,
  ) {}

  join(subscription: Subscription): void {
    // Like updating the consumer's filter on subscribe: the latest declaration wins.
    this.eventTypes = new Set(subscription.eventTypes);
    this.members.push(subscription);
    this.pump();
  }

  /** Detaches; resolves once a delivery in progress has finished and been settled. */
  async leave(subscription: Subscription): Promise<void> {
    const index = this.members.indexOf(subscription);
    if (index >= 0) this.members.splice(index, 1);
    this.wake?.();
    await (this.members.length === 0 ? this.running : this.inFlight);
  }

  private pump(): void {
    if (this.running !== undefined) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      // Someone joined while the loop was winding down.
      if (this.members.length > 0) this.pump();
    });
  }

  private async run(): Promise<void> {
    const stopListening = this.state.onAppend(() => this.wake?.());
    try {
      while (this.members.length > 0) {
        const entry = this.state.log[this.position];
        if (entry === undefined) {
          await this.pause();
        } else if (!this.matches(entry)) {
          this.position += 1;
        } else {
          const delay = await this.deliver(entry);
          if (delay !== undefined) await this.pause(delay);
        }
      }
    } finally {
      stopListening();
    }
  }

  /** Runs one attempt; returns the backoff to wait when the event is to be retried. */
  private async deliver(entry: LogEntry): Promise<number | undefined> {
    const member = this.members[this.turn++ % this.members.length];
    if (member === undefined) return undefined;
    const attempt = this.attempt;
    const handled = member.handle(entry.event, { attempt });
    this.inFlight = handled.catch(() => undefined);
    try {
      await handled;
      this.advance();
      return undefined;
    } catch (error) {
      // An outage is not the event's fault: the same attempt again once the dependency may be back,
      // never a step towards the dead letters.
      if (error instanceof DependencyUnavailable) {
        this.state.settings.onRetry({ subscription: this.name, cause: "outage" });
        return backoffAfter(this.state.settings, ++this.outages);
      }
      if (!(error instanceof PermanentFailure) && attempt < this.state.settings.maxDeliver) {
        this.attempt += 1;
        this.state.settings.onRetry({ subscription: this.name, cause: "failure" });
        return backoffAfter(this.state.settings, attempt);
      }
      this.state.addDeadLetter({
        event: entry.event,
        subscription: this.name,
        reason: reasonOf(error),
        deliveries: attempt,
        failedAt: this.state.now().toISOString(),
      });
      this.advance();
      return undefined;
    }
  }

  private matches(entry: LogEntry): boolean {
    return entry.onlyFor === undefined ? this.eventTypes.has(entry.event.type) : entry.onlyFor === this.name;
  }

  private advance(): void {
    this.position += 1;
    this.attempt = 1;
    this.outages = 0;
  }

  /** Waits for an append (no delay given), the delay, or a subscriber leaving, whichever is first. */
  private pause(delayMs?: number): Promise<void> {
    return new Promise<void>((resume) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resume();
      };
      if (delayMs === undefined) {
        this.wake = done;
        return;
      }
      timer = setTimeout(done, delayMs);
      // During a backoff only the last subscriber leaving cuts the wait short, not a new append.
      this.wake = () => {
        if (this.members.length === 0) done();
      };
    });
  }
}
