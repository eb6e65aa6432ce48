import { Redis } from "ioredis";
import * as assert from "uvu/assert";
import { MemoryCache } from "../../../src/adapters/cache/memory-cache.js";
import { RedisCache } from "../../../src/adapters/cache/redis-cache.js";
import { RedisConnection } from "../../../src/adapters/redis/redis-connection.js";
import type { Cache } from "../../../src/ports/cache.js";
import { DependencyUnavailable } from "../../../src/ports/dependency-unavailable.js";
import { eventually } from "../../support/eventually.js";
import { REDIS_URL, redisDecision, UNREACHABLE_REDIS_URL, uniqueKeyPrefix } from "../../support/redis.js";
import { rejects } from "../../support/rejects.js";
import type { ServiceDecision } from "../../support/services.js";
import { suite } from "../../support/uvu.js";
import { recordingLogger } from "../mail/recording-logger.js";

/** One cache under test, and a way to let time pass for it. */
interface Subject {
  readonly cache: Cache;
  /** Makes `ms` pass: the memory cache's clock is moved, Redis's own clock runs. */
  passes(ms: number): void;
  close(): Promise<void>;
}

interface Driver {
  readonly name: string;
  readonly decision: ServiceDecision;
  open(): Promise<Subject>;
}

const memory: Driver = {
  name: "memory",
  decision: { run: true },
  open: async () => {
    let now = Date.parse("2026-11-30T06:00:00Z");
    return {
      cache: new MemoryCache({ maxEntries: 100, now: () => now }),
      passes: (ms) => {
        now += ms;
      },
      close: async () => {},
    };
  },
};

/** Every key a Redis subject wrote lives under this run's prefix, and is deleted when it closes. */
const redis: Driver = {
  name: "redis",
  decision: await redisDecision(),
  open: async () => {
    const prefix = uniqueKeyPrefix();
    const connection = new RedisConnection({ url: REDIS_URL, logger: recordingLogger() });
    await connection.start();
    return {
      cache: new RedisCache(connection, prefix),
      passes: () => {},
      close: async () => {
        // SCAN, not KEYS: the shared server is not blocked while this run's keys are found.
        let cursor = "0";
        do {
          const [next, keys] = await connection.client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
          if (keys.length > 0) await connection.client.del(...keys);
          cursor = next;
        } while (cursor !== "0");
        await connection.stop();
      },
    };
  },
};

for (const driver of [memory, redis]) {
  const it = suite<{ subject?: Subject }>(`Cache contract [${driver.name}]`);
  if (!driver.decision.run)
    console.log(`  Cache contract [${driver.name}] skipped: ${driver.decision.reason}`);
  it.before.each(async (context) => {
    context.subject = await driver.open();
  });
  it.after.each(async (context) => {
    await context.subject?.close();
  });
  const spec = (title: string, body: (subject: Subject) => Promise<void>) => {
    const run = async (context: { subject?: Subject }) => {
      if (context.subject === undefined) throw new Error("cache not opened");
      await body(context.subject);
    };
    if (driver.decision.run) it(title, run);
    else it.skip(title, run);
  };

  spec("given an empty cache, when a key is read, then there is nothing", async ({ cache }) => {
    assert.is(await cache.get("product:1"), undefined);
  });

  spec("given a stored value, when it is read, then an equal copy comes back", async ({ cache }) => {
    const stored = { id: "p1", name: "Lamp", tags: ["a", "b"], price: 1299, gone: null, ok: true };
    await cache.set("product:1", stored, 60_000);
    stored.name = "changed after storing";
    const first = (await cache.get("product:1")) as { name: string };
    assert.equal(first, { id: "p1", name: "Lamp", tags: ["a", "b"], price: 1299, gone: null, ok: true });
    first.name = "changed after reading";
    assert.equal(((await cache.get("product:1")) as { name: string }).name, "Lamp");
  });

  spec(
    "given a value that is not plain JSON, when read back, then it comes back as its JSON",
    async ({ cache }) => {
      await cache.set("when", { at: new Date("2026-11-30T06:00:00Z") } as never, 60_000);
      assert.equal(await cache.get("when"), { at: "2026-11-30T06:00:00.000Z" });
    },
  );

  spec(
    "given a stored value, when another is stored under its key, then the new one is read",
    async ({ cache }) => {
      await cache.set("k", "first", 60_000);
      await cache.set("k", "second", 60_000);
      assert.is(await cache.get("k"), "second");
    },
  );

  spec(
    "given several values, when some keys are deleted at once, then only those are gone",
    async ({ cache }) => {
      await cache.set("a", 1, 60_000);
      await cache.set("b", 2, 60_000);
      await cache.set("c", 3, 60_000);
      await cache.delete(["a", "c", "never-stored"]);
      await cache.delete([]);
      assert.equal(
        [await cache.get("a"), await cache.get("b"), await cache.get("c")],
        [undefined, 2, undefined],
      );
    },
  );

  spec("given a value stored with a TTL, when the TTL has passed, then it is gone", async (subject) => {
    await subject.cache.set("short", "lived", 50);
    await subject.cache.set("long", "lived", 60_000);
    subject.passes(50);
    await eventually(
      "the short-lived entry to expire",
      () => subject.cache.get("short"),
      (value) => value === undefined,
    );
    assert.is(await subject.cache.get("long"), "lived");
  });

  it.run();
}

const lru = suite("MemoryCache");

lru(
  "given a full cache, when one more is stored, then the least recently used entry is evicted",
  async () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    await cache.set("a", 1, 60_000);
    await cache.set("b", 2, 60_000);
    await cache.get("a");
    await cache.set("c", 3, 60_000);
    assert.equal([await cache.get("a"), await cache.get("b"), await cache.get("c")], [1, undefined, 3]);
    assert.is(cache.size, 2);
  },
);

lru(
  "given an entry, when its TTL has not quite passed, then it is still there, and at the TTL it is not",
  async () => {
    let now = 0;
    const cache = new MemoryCache({ maxEntries: 10, now: () => now });
    await cache.set("k", "v", 1000);
    now = 999;
    assert.is(await cache.get("k"), "v");
    now = 1000;
    assert.is(await cache.get("k"), undefined);
    assert.is(cache.size, 0, "an expired entry met is dropped");
  },
);

const outage = suite("RedisCache");

if (redis.decision.run) {
  outage(
    "given a Redis that cannot be reached, when the cache is used, then each call fails as DependencyUnavailable",
    async () => {
      const connection = new RedisConnection({ url: UNREACHABLE_REDIS_URL, logger: recordingLogger() });
      await connection.start();
      try {
        const cache = new RedisCache(connection, uniqueKeyPrefix());
        const error = await rejects(() => cache.get("k"), DependencyUnavailable);
        assert.is(error.dependency, "cache");
        await rejects(() => cache.set("k", 1, 1000), DependencyUnavailable);
        await rejects(() => cache.delete(["k"]), DependencyUnavailable);
      } finally {
        await connection.stop();
      }
    },
  );

  outage("given a prefix, when values are stored, then their Redis keys carry it and expire", async () => {
    const prefix = uniqueKeyPrefix();
    const connection = new RedisConnection({ url: REDIS_URL, logger: recordingLogger() });
    await connection.start();
    const raw = new Redis(REDIS_URL);
    try {
      await new RedisCache(connection, prefix).set("GetProduct:p1", { id: "p1" }, 60_000);
      assert.is(await raw.get(`${prefix}:GetProduct:p1`), '{"id":"p1"}');
      const ttl = await raw.pttl(`${prefix}:GetProduct:p1`);
      assert.ok(ttl > 0 && ttl <= 60_000, `a TTL is set (${ttl} ms)`);
    } finally {
      await raw.del(`${prefix}:GetProduct:p1`);
      raw.disconnect();
      await connection.stop();
    }
  });
} else {
  outage.skip("RedisCache against Redis", async () => {});
}

for (const it of [lru, outage]) it.run();
