import type { DomainEvent } from "../domain/shared/domain-event.js";
import { token } from "./token.js";

/** Who and what caused an event: stored with it, carried in message headers. */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId?: string;
  /** The acting principal, e.g. "anonymous", "system", "user:<id>". */
  readonly principal: string;
  /** W3C trace context (traceparent, tracestate) when a trace is active. */
  readonly trace?: Readonly<Record<string, string>>;
}

/**
 * A place in the log in commit-safe order: events sort by the id of the transaction that wrote
 * them, then by position. Ids are unsigned 64-bit integers, kept as decimal strings.
 */
export interface LogCheckpoint {
  readonly transactionId: string;
  readonly position: number;
}

export const LOG_START: LogCheckpoint = { transactionId: "0", position: 0 };

export interface RecordedEvent extends DomainEvent {
  readonly id: string;
  readonly aggregateType: string;
  /** Global order of appends (taken at insert, so not commit order; gaps are possible). */
  readonly position: number;
  /** The writing transaction: with `position`, the event's checkpoint. */
  readonly transactionId: string;
  readonly metadata: EventMetadata;
}

/**
 * The append-only log of every domain event, written in the same transaction as aggregate state
 * (so it is also the outbox). Appends happen inside a unit of work, through repositories.
 */
export interface EventLog {
  /** Events of one aggregate in version order. */
  history(aggregateType: string, aggregateId: string): Promise<RecordedEvent[]>;
  /**
   * Up to `limit` committed events after `after`, in (transaction id, position) order, and only from
   * transactions older than every transaction still running: a transaction that commits later can
   * never hold an event that sorts before one already returned, so a reader never skips one.
   */
  readAfter(after: LogCheckpoint, limit: number): Promise<RecordedEvent[]>;
  /** How many committed events lie after `after`, and when the oldest of them occurred. */
  backlog(after: LogCheckpoint): Promise<{ readonly events: number; readonly oldestOccurredAt?: string }>;
}
export const EventLog = token<EventLog>("EventLog");

export function checkpointOf(event: RecordedEvent): LogCheckpoint {
  return { transactionId: event.transactionId, position: event.position };
}
