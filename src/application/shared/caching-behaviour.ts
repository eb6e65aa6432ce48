import type { Cache, CacheObserver, CacheOutcome, Json } from "../../ports/cache.js";
import type { RecordedEvent } from "../../ports/event-log.js";
import type { Behaviour } from "./behaviour.js";
import type { Message, Query } from "./message.js";

/** How a cached result is stored: JSON in, the query's result out. */
export interface CacheCodec<TResult> {
  encode(result: TResult): Json;
  decode(stored: Json): TResult;
}

/**
 * A query's opt-in to read-through caching, declared once as a static `cache` on the query class
 * (`static readonly cache = cacheable<GetProduct>({ ... })`). The same declaration says which events
 * make which entries stale, so the invalidating subscriber is derived from it, never written apart.
 */
export interface CacheDeclaration<TQuery = never, TResult = unknown> {
  readonly [CACHEABLE]: true;
  /**
   * The entry's key from the query's fields (the query's name is prefixed to it). The cache is shared
   * by every caller: a query whose answer depends on the principal must put the principal in the key,
   * and one that does not must leave it out (authorization still runs before every lookup).
   */
  readonly key: (query: TQuery) => string;
  /** Seconds an entry lives; CACHE__TTL_S__<QUERY> overrides it, CACHE__DEFAULT_TTL_S stands in for it. */
  readonly ttlS?: number;
  /** Needed when the result is not plain JSON (a Date, a class); without it the result is stored as it is. */
  readonly codec?: CacheCodec<TResult>;
  readonly invalidatedBy: {
    readonly eventTypes: readonly string[];
    /** The keys (as `key` makes them) an event of one of those types makes stale. */
    readonly keys: (event: RecordedEvent) => readonly string[];
  };
}

/** Marks a declaration made by `cacheable`, so that an unrelated static named `cache` is not one. */
const CACHEABLE: unique symbol = Symbol("keel.cacheable");

/** Declares a query cacheable; the type parameter is the query class, its result type follows. */
export function cacheable<TQuery extends Query<unknown>>(
  declaration: Omit<CacheDeclaration<TQuery, TQuery["__result"]>, typeof CACHEABLE>,
): CacheDeclaration<TQuery, TQuery["__result"]> {
  return { ...declaration, [CACHEABLE]: true };
}

/** A cacheable query as the behaviour and the invalidating subscriber see it: its name and its declaration. */
export interface CachedQuery {
  readonly name: string;
  readonly declaration: CacheDeclaration<Message<unknown>, unknown>;
}

/** The declaration a query class carries, if it opted in. */
export function cachedQueryOf(type: unknown): CachedQuery | undefined {
  if (typeof type !== "function") return undefined;
  const declared = (type as { cache?: unknown }).cache;
  if (typeof declared !== "object" || declared === null || !(CACHEABLE in declared)) return undefined;
  return { name: type.name, declaration: declared as CachedQuery["declaration"] };
}

/** Where a query's entry lives: its name first, so two queries never share a key. */
export function cacheKey(query: string, key: string): string {
  return `${query}:${key}`;
}

export interface CachingSettings {
  readonly defaultTtlS: number;
  /** Per query, by the query's name in camelCase (CACHE__TTL_S__GET_PRODUCT is `getProduct`). */
  readonly ttlS: Readonly<Record<string, number>>;
  /**
   * Each entry lives its TTL shortened by up to this fraction, at random, so that entries written
   * together (a warm-up, a burst after a deploy) do not all expire together. Only ever shortened:
   * the TTL stays the bound on how stale an entry can be.
   */
  readonly jitter: number;
  /** In [0, 1); tests pass their own to pick the jitter. */
  readonly random?: () => number;
}

interface Answer {
  readonly result: unknown;
  readonly outcome: CacheOutcome;
}

/**
 * Read-through caching for queries that declare it (see CacheDeclaration); others pass through.
 * Innermost in the query pipeline, after authorization, so a cached answer is never given to a
 * caller the handler would refuse. Concurrent lookups of one key in this process share one flight:
 * a single read of the cache and, on a miss, a single run of the handler, whose result every caller
 * gets. The cache is an optimisation, never a cause of failure: when it cannot be read or written
 * (Redis down), the query is answered by its handler, uncached, and the lookup counts as an error.
 */
export class CachingBehaviour implements Behaviour {
  private readonly flights = new Map<string, Promise<Answer>>();
  private readonly random: () => number;

  constructor(
    private readonly cache: Cache,
    private readonly observer: CacheObserver,
    private readonly settings: CachingSettings,
  ) {
    this.random = settings.random ?? Math.random;
  }

  async handle<TResult>(message: Message<TResult>, next: () => Promise<TResult>): Promise<TResult> {
    const cached = cachedQueryOf(message.constructor);
    if (cached === undefined) return next();
    const key = cacheKey(cached.name, cached.declaration.key(message));
    let flight = this.flights.get(key);
    if (flight === undefined) {
      flight = this.lookUpOrCompute(cached, key, next);
      this.flights.set(key, flight);
      // Cleared once settled, failed or not: the next lookup asks the cache again.
      void flight.then(
        () => this.flights.delete(key),
        () => this.flights.delete(key),
      );
    }
    const answer = await flight;
    this.observer.cacheLookup(cached.name, answer.outcome);
    return answer.result as TResult;
  }

  /** The TTL an entry of this query gets now, in ms: its configured TTL less a random jitter. */
  ttlMs(query: CachedQuery): number {
    const seconds =
      this.settings.ttlS[lowerFirst(query.name)] ?? query.declaration.ttlS ?? this.settings.defaultTtlS;
    return seconds * 1000 * (1 - this.settings.jitter * this.random());
  }

  private async lookUpOrCompute(
    query: CachedQuery,
    key: string,
    next: () => Promise<unknown>,
  ): Promise<Answer> {
    const { codec } = query.declaration;
    let unavailable = false;
    let stored: Json | undefined;
    try {
      stored = await this.cache.get(key);
    } catch {
      unavailable = true;
    }
    if (stored !== undefined) {
      try {
        return { result: codec ? codec.decode(stored) : stored, outcome: "hit" };
      } catch {
        // An entry this version cannot read (written by an older one): a miss, overwritten below.
      }
    }
    const result = await next();
    if (!unavailable) {
      try {
        await this.cache.set(key, codec ? codec.encode(result) : (result as Json), this.ttlMs(query));
      } catch {
        unavailable = true;
      }
    }
    return { result, outcome: unavailable ? "error" : "miss" };
  }
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
