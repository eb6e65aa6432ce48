import type { Cache } from "../../ports/cache.js";
import type { RecordedEvent } from "../../ports/event-log.js";
import type { EventHandler } from "../messaging/idempotent-subscriber.js";
import { type CachedQuery, cacheKey } from "./caching-behaviour.js";

/**
 * Deletes the cache entries an event makes stale, as each cached query's declaration says. Derived
 * from the declarations, so a query that opts in is invalidated without a subscriber of its own.
 * Deleting is idempotent, so a redelivery does no harm; a cache that cannot be reached throws
 * DependencyUnavailable, and the bus delivers the event again once it answers.
 */
export class CacheInvalidation implements EventHandler {
  readonly name = "cache-invalidation";
  readonly eventTypes: readonly string[];

  constructor(
    private readonly cache: Cache,
    private readonly queries: readonly CachedQuery[],
  ) {
    this.eventTypes = [...new Set(queries.flatMap((query) => query.declaration.invalidatedBy.eventTypes))];
  }

  /** The entries `event` makes stale, as keys of the cache. */
  staleKeys(event: RecordedEvent): string[] {
    return this.queries.flatMap(({ name, declaration: { invalidatedBy } }) =>
      invalidatedBy.eventTypes.includes(event.type)
        ? invalidatedBy.keys(event).map((key) => cacheKey(name, key))
        : [],
    );
  }

  async apply(event: RecordedEvent): Promise<void> {
    await this.cache.delete(this.staleKeys(event));
  }
}
