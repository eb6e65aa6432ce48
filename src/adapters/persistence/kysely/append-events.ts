import type { Transaction } from "kysely";
import type { DomainEvent } from "../../../domain/shared/domain-event.js";
import type { EventMetadata } from "../../../ports/event-log.js";
import type { IdGenerator } from "../../../ports/id-generator.js";
import { ConcurrencyConflict } from "../../../ports/unit-of-work.js";
import type { Database } from "./database.js";
import { violatedUniqueConstraint } from "./sql-errors.js";

/**
 * Appends an aggregate's new events in the caller's transaction. A duplicate (aggregate, version)
 * means another writer committed that version first: a concurrency conflict, not a crash.
 */
export async function appendEvents(
  trx: Transaction<Database>,
  ids: IdGenerator,
  aggregateType: string,
  events: readonly DomainEvent[],
  metadata: EventMetadata,
): Promise<void> {
  if (events.length === 0) return;
  try {
    await trx
      .insertInto("events")
      .values(
        events.map((event) => ({
          id: ids.next(),
          aggregate_type: aggregateType,
          aggregate_id: event.aggregateId,
          aggregate_version: event.version,
          type: event.type,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(metadata),
          occurred_at: new Date(event.occurredAt),
        })),
      )
      .execute();
  } catch (error) {
    if (violatedUniqueConstraint(error) === "events_aggregate_version") {
      const first = events[0];
      throw new ConcurrencyConflict(aggregateType, first?.aggregateId ?? "", (first?.version ?? 1) - 1);
    }
    throw error;
  }
}
