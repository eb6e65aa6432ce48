import type { Cache, Json } from "../../ports/cache.js";

export interface MemoryCacheOptions {
  /** The most entries kept; storing one more evicts the least recently used. */
  readonly maxEntries: number;
  /** Milliseconds since the epoch; tests pass a clock they move. */
  readonly now?: () => number;
}

interface Entry {
  /** Serialised, so a caller mutating what it stored or got changes nothing here, as with Redis. */
  readonly text: string;
  readonly expiresAt: number;
}

/**
 * A bounded LRU cache in process memory, entries expiring after their TTL. A Map keeps insertion
 * order, so re-inserting an entry on each hit makes the first key the least recently used one.
 * Expired entries are dropped when met (a get) or when they reach the front under eviction, never by
 * a timer: the bound on entries is what bounds memory.
 */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: MemoryCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<Json | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return JSON.parse(entry.text) as Json;
  }

  async set(key: string, value: Json, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    if (ttlMs <= 0) return;
    this.entries.set(key, { text: JSON.stringify(value), expiresAt: this.now() + ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  /** How many entries are held, expired ones not yet met included. */
  get size(): number {
    return this.entries.size;
  }
}
