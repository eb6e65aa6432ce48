import type { DomainEvent } from "../domain/shared/domain-event.js";

/** Who and what caused an event: stored with it, carried in message headers. */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId?: string;
  /** The acting principal, e.g. "anonymous", "system", "user:<id>". */
  readonly principal: string;
  /** W3C trace context (traceparent, tracestate) when a trace is active. */
  readonly trace?: Readonly<Record<string, string>>;
}

export interface RecordedEvent extends DomainEvent {
  readonly id: string;
  readonly aggregateType: string;
  /** Global order of appends; gaps are possible, order within an aggregate is by version. */
  readonly position: number;
  readonly metadata: EventMetadata;
}

/**
 * The append-only log of every domain event, written in the same transaction as aggregate state
 * (so it is also the outbox). Appends happen inside a unit of work, through repositories.
 */
export interface EventLog {
  /** Events of one aggregate in version order. */
  history(aggregateType: string, aggregateId: string): Promise<RecordedEvent[]>;
  /** Up to `limit` events after `position`, in append order. */
  readAfter(position: number, limit: number): Promise<RecordedEvent[]>;
}
export const EventLog = Symbol.for("EventLog");
