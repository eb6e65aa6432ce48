import { token } from "./token.js";

/** What a cache holds: plain JSON, so that every adapter stores and returns the same thing. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * A key-value store whose entries expire. Values go in as JSON and come back as fresh copies, never
 * as the object that was stored, whichever adapter holds them (memory in process, Redis shared). A
 * cache is an optimisation: an adapter that cannot reach its store throws DependencyUnavailable,
 * and callers answer without it.
 */
export interface Cache {
  /** The value stored under `key`, or undefined when there is none or it has expired. */
  get(key: string): Promise<Json | undefined>;
  /** Stores `value` under `key` for `ttlMs` milliseconds, replacing what was there. */
  set(key: string, value: Json, ttlMs: number): Promise<void>;
  /** Removes every given key; a key that is not there is no error. */
  delete(keys: readonly string[]): Promise<void>;
}
export const Cache = token<Cache>("Cache");

/** How one cached query was answered: from the cache, computed after a miss, or computed because the cache failed. */
export type CacheOutcome = "hit" | "miss" | "error";

/** Told of every lookup the query cache makes; metrics implement it, the core never knows how. */
export interface CacheObserver {
  /** `query` is the query's class name, never anything from its fields. */
  cacheLookup(query: string, outcome: CacheOutcome): void;
}
export const CacheObserver = token<CacheObserver>("CacheObserver");
