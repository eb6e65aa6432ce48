import { integer, nonEmptyString, oneOf } from "../codecs.js";
import { family, setting } from "../define-config.js";

// The query cache (read-through, per query that opts in; see README "Caching").

export const cacheSettings = {
  // Tests assert read-your-writes through a single serve without a worker, which no event-driven
  // invalidation can give; development runs the worker in process, so its events invalidate.
  driver: setting(oneOf(["memory", "redis", "none"]), {
    default: { development: "memory", test: "none", production: "redis" },
    live: false,
    description:
      "Where cached query results live: per process (memory), shared by every instance (redis), or nowhere (none).",
  }),
  defaultTtlS: setting(integer(1, 86400), {
    default: "30",
    live: false,
    description:
      "Seconds a cached result lives unless its query says otherwise: the bound on a stale read when invalidation is late.",
  }),
  ttlS: family(integer(1, 86400), {
    live: false,
    description: "Seconds a cached result of one query lives, by query name (CACHE__TTL_S__GET_PRODUCT=60).",
  }),
  maxEntries: setting(integer(1, 10000000), {
    default: "10000",
    live: false,
    description: "Most entries the memory cache keeps per process; the least recently used go first.",
  }),
  keyPrefix: setting(nonEmptyString, {
    default: "keel:cache",
    live: false,
    description: "Prefix of the cache's keys in Redis, so that services sharing a Redis do not collide.",
  }),
};
