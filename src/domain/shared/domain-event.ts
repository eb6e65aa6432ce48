/**
 * A fact the domain recorded. Plain and serialisable: it is stored in the event log and published as is.
 * `version` is the aggregate's version after this event (the first event has version 1).
 */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly aggregateId: string;
  readonly version: number;
  /** ISO-8601 instant; the domain never reads a clock, the caller passes the time in. */
  readonly occurredAt: string;
  readonly data: TData;
}
