import * as assert from "uvu/assert";
import { MemoryCache } from "../../../src/adapters/cache/memory-cache.js";
import { RedisCache } from "../../../src/adapters/cache/redis-cache.js";
import { KeelMetrics } from "../../../src/adapters/metrics/keel-metrics.js";
import { RedisConnection } from "../../../src/adapters/redis/redis-connection.js";
import { AuthorizationBehaviour, Forbidden } from "../../../src/application/shared/authorization.js";
import { CacheInvalidation } from "../../../src/application/shared/cache-invalidation.js";
import {
  CachingBehaviour,
  type CachingSettings,
  cacheable,
  cachedQueryOf,
} from "../../../src/application/shared/caching-behaviour.js";
import { ANONYMOUS, type ExecutionContext } from "../../../src/application/shared/execution-context.js";
import { type Handler, Query } from "../../../src/application/shared/message.js";
import { MessageBus } from "../../../src/application/shared/message-bus.js";
import { NotFound } from "../../../src/application/shared/not-found.js";
import { PUBLIC, requiresPermission } from "../../../src/application/shared/requirement.js";
import type { Cache } from "../../../src/ports/cache.js";
import type { RecordedEvent } from "../../../src/ports/event-log.js";
import { recordingLogger } from "../../adapters/mail/recording-logger.js";
import { deferred } from "../../support/deferred.js";
import { sampled } from "../../support/exposition.js";
import { OwnRedis, ownRedisDecision } from "../../support/own-redis.js";
import { REDIS_URL, redisDecision, uniqueKeyPrefix } from "../../support/redis.js";
import { rejects } from "../../support/rejects.js";
import { serviceTest } from "../../support/services.js";
import { test } from "../../support/uvu.js";

interface Thing {
  readonly id: string;
  readonly computedAt: number;
}

/** A query that opts in: keyed by id, stale on every `thing.*` event of that id. */
class GetThing extends Query<Thing> {
  static readonly cache = cacheable<GetThing>({
    key: (query) => query.id,
    ttlS: 100,
    invalidatedBy: { eventTypes: ["thing.renamed", "thing.deleted"], keys: (event) => [event.aggregateId] },
  });

  constructor(
    context: ExecutionContext,
    readonly id: string,
  ) {
    super(context);
  }
}

/** A query that does not: always answered by its handler. */
class CountThings extends Query<number> {}

/** Counts its runs; holds each run until `gate` opens, so a test can pile lookups up behind one miss. */
class ThingHandler implements Handler<GetThing> {
  readonly requires = PUBLIC;
  computations = 0;
  gate: Promise<void> = Promise.resolve();
  missing = new Set<string>();

  async handle({ id }: GetThing): Promise<Thing> {
    this.computations += 1;
    const run = this.computations;
    await this.gate;
    if (this.missing.has(id)) throw new NotFound("thing", id);
    return { id, computedAt: run };
  }
}

const context: ExecutionContext = { principal: ANONYMOUS, correlationId: "cache-test" };

interface Process {
  readonly bus: MessageBus<Query<unknown>>;
  readonly handler: ThingHandler;
  readonly metrics: KeelMetrics;
  lookups(outcome: string): Promise<number>;
}

/** One keel process's query bus as the composition root builds it: authorization, then the cache. */
function process(cache: Cache, settings: Partial<CachingSettings> = {}): Process {
  const metrics = new KeelMetrics({ processDefaults: false });
  const handler = new ThingHandler();
  const bus = new MessageBus<Query<unknown>>([
    new AuthorizationBehaviour(),
    new CachingBehaviour(cache, metrics, {
      defaultTtlS: 30,
      ttlS: {},
      jitter: 0.1,
      random: () => 0,
      ...settings,
    }),
  ]);
  bus.register(GetThing, handler);
  bus.register(CountThings, { requires: PUBLIC, handle: async () => handler.computations });
  return {
    bus,
    handler,
    metrics,
    lookups: async (outcome) =>
      sampled(await metrics.registry.metrics(), "keel_cache_lookups_total", { query: "GetThing", outcome }) ??
      0,
  };
}

/** `count` lookups of one key started together, the handler held until all of them have been made. */
async function concurrentMisses(processes: readonly Process[], count: number): Promise<Thing[]> {
  const gate = deferred();
  for (const p of processes) p.handler.gate = gate.promise;
  const answers = processes.flatMap((p) =>
    Array.from({ length: count }, () => p.bus.dispatch(new GetThing(context, "t1"))),
  );
  // Every dispatch has run up to the cache by now (the lookups wait on I/O or on the first run).
  await new Promise((resolve) => setImmediate(resolve));
  gate.resolve();
  return Promise.all(answers);
}

function event(type: string, aggregateId: string): RecordedEvent {
  return {
    id: `${type}-${aggregateId}`,
    type,
    aggregateId,
    aggregateType: "thing",
    version: 2,
    occurredAt: "2026-11-30T06:00:00.000Z",
    data: {},
    position: 1,
    transactionId: "1",
    metadata: { correlationId: "c", principal: "system" },
  };
}

test("given 100 concurrent lookups of one uncached key, then the handler runs once and all get its answer", async () => {
  const p = process(new MemoryCache({ maxEntries: 100 }));
  const answers = await concurrentMisses([p], 100);
  assert.is(p.handler.computations, 1);
  assert.equal(new Set(answers.map((answer) => answer.computedAt)), new Set([1]));
  assert.is(await p.lookups("miss"), 100, "each caller's lookup is counted");
  assert.is(await p.lookups("hit"), 0);
});

serviceTest(
  await redisDecision(),
  "given two processes sharing Redis, when each gets 100 concurrent lookups of one uncached key, then each computes once",
  async () => {
    const prefix = uniqueKeyPrefix();
    const connection = new RedisConnection({ url: REDIS_URL, logger: recordingLogger() });
    await connection.start();
    try {
      const processes = [
        process(new RedisCache(connection, prefix)),
        process(new RedisCache(connection, prefix)),
      ];
      await concurrentMisses(processes, 100);
      assert.equal(
        processes.map((p) => p.handler.computations),
        [1, 1],
      );
    } finally {
      await connection.client.del(`${prefix}:GetThing:t1`);
      await connection.stop();
    }
  },
);

test("given an answer computed once, when asked again, then it comes from the cache", async () => {
  const p = process(new MemoryCache({ maxEntries: 100 }));
  const first = await p.bus.dispatch(new GetThing(context, "t1"));
  const second = await p.bus.dispatch(new GetThing(context, "t1"));
  assert.equal(second, first);
  assert.is(p.handler.computations, 1);
  assert.equal([await p.lookups("miss"), await p.lookups("hit")], [1, 1]);
});

test("given a query that declares no cache, then every dispatch reaches its handler", async () => {
  const p = process(new MemoryCache({ maxEntries: 100 }));
  await p.bus.dispatch(new GetThing(context, "t1"));
  assert.is(await p.bus.dispatch(new CountThings(context)), 1);
  await p.bus.dispatch(new GetThing(context, "t2"));
  assert.is(await p.bus.dispatch(new CountThings(context)), 2);
  assert.is(cachedQueryOf(CountThings), undefined);
});

test("given a refusal, then it is not cached: the next lookup asks the handler again", async () => {
  const p = process(new MemoryCache({ maxEntries: 100 }));
  p.handler.missing.add("t1");
  await rejects(() => p.bus.dispatch(new GetThing(context, "t1")), NotFound);
  p.handler.missing.clear();
  assert.is((await p.bus.dispatch(new GetThing(context, "t1"))).id, "t1");
  assert.is(p.handler.computations, 2);
});

test("given a cached answer, when a caller the handler refuses asks, then it is refused, not served from the cache", async () => {
  const cache = new MemoryCache({ maxEntries: 100 });
  const bus = new MessageBus<Query<unknown>>([
    new AuthorizationBehaviour(),
    new CachingBehaviour(cache, new KeelMetrics({ processDefaults: false }), {
      defaultTtlS: 30,
      ttlS: {},
      jitter: 0,
    }),
  ]);
  const handler = new ThingHandler();
  bus.register(GetThing, { requires: requiresPermission("thing:read"), handle: (q) => handler.handle(q) });
  const system: ExecutionContext = { principal: { kind: "system", name: "test" }, correlationId: "c" };
  await bus.dispatch(new GetThing(system, "t1"));
  await rejects(() => bus.dispatch(new GetThing({ ...context, principal: userWithout() }, "t1")), Forbidden);
});

function userWithout() {
  return { kind: "user", userId: "u1", roles: [], permissions: new Set<string>() } as const;
}

test("given jitter, then entries written together expire at different times, and never after the TTL", async () => {
  let now = 0;
  const cache = new MemoryCache({ maxEntries: 100, now: () => now });
  const draws = [0, 0.5, 0.999];
  const p = process(cache, { jitter: 0.1, random: () => draws.shift() ?? 0 });
  for (const id of ["a", "b", "c"]) await p.bus.dispatch(new GetThing(context, id));
  const alive = async () =>
    Promise.all(["a", "b", "c"].map(async (id) => (await cache.get(`GetThing:${id}`)) !== undefined));
  now = 90_001;
  assert.equal(await alive(), [true, true, true], "nothing expires before TTL less the jitter (90 s)");
  now = 95_001;
  assert.equal(await alive(), [true, false, false], "drawn 0.5: gone after 95 s; drawn 0.999: after ~90 s");
  now = 100_000;
  assert.equal(await alive(), [false, false, false], "at the declared TTL (100 s) every entry is gone");
});

test("given a per-query TTL in config, then it wins over the query's own", async () => {
  const behaviour = new CachingBehaviour(
    new MemoryCache({ maxEntries: 1 }),
    new KeelMetrics({ processDefaults: false }),
    {
      defaultTtlS: 30,
      ttlS: { getThing: 5 },
      jitter: 0,
    },
  );
  const declared = cachedQueryOf(GetThing);
  if (declared === undefined) throw new Error("GetThing declares a cache");
  assert.is(behaviour.ttlMs(declared), 5000);
});

test("given a cached answer, when an event its declaration names arrives, then the entry is deleted and recomputed", async () => {
  const cache = new MemoryCache({ maxEntries: 100 });
  const p = process(cache);
  const invalidation = new CacheInvalidation(
    cache,
    [cachedQueryOf(GetThing)].flatMap((q) => (q ? [q] : [])),
  );
  assert.equal(invalidation.eventTypes, ["thing.renamed", "thing.deleted"]);
  await p.bus.dispatch(new GetThing(context, "t1"));
  await p.bus.dispatch(new GetThing(context, "t2"));

  await invalidation.apply(event("thing.renamed", "t1"));
  assert.is((await p.bus.dispatch(new GetThing(context, "t1"))).computedAt, 3, "t1 is computed again");
  assert.is((await p.bus.dispatch(new GetThing(context, "t2"))).computedAt, 2, "t2 is still cached");
  assert.equal(invalidation.staleKeys(event("thing.created", "t2")), [], "an event not named stales nothing");
});

test("given a query with a codec, then what comes from the cache is what the handler returned, Dates included", async () => {
  class GetDeadline extends Query<{ due: Date }> {
    static readonly cache = cacheable<GetDeadline>({
      key: () => "only",
      codec: {
        encode: (result) => ({ due: result.due.toISOString() }),
        decode: (stored) => ({ due: new Date((stored as { due: string }).due) }),
      },
      invalidatedBy: { eventTypes: [], keys: () => [] },
    });
  }
  const bus = new MessageBus<Query<unknown>>([
    new CachingBehaviour(new MemoryCache({ maxEntries: 1 }), new KeelMetrics({ processDefaults: false }), {
      defaultTtlS: 30,
      ttlS: {},
      jitter: 0,
    }),
  ]);
  bus.register(GetDeadline, {
    requires: PUBLIC,
    handle: async () => ({ due: new Date("2026-12-24T00:00:00Z") }),
  });
  await bus.dispatch(new GetDeadline(context));
  const cached = await bus.dispatch(new GetDeadline(context));
  assert.instance(cached.due, Date);
  assert.is(cached.due.toISOString(), "2026-12-24T00:00:00.000Z");
});

serviceTest(
  await ownRedisDecision(),
  "given a cache in a Redis that is killed, then queries are answered by their handlers, uncached, and counted as errors",
  async () => {
    const own = await OwnRedis.start();
    const connection = new RedisConnection({
      url: own.url,
      logger: recordingLogger(),
      commandTimeoutMs: 200,
    });
    try {
      await connection.start();
      const p = process(new RedisCache(connection, uniqueKeyPrefix()));
      await p.bus.dispatch(new GetThing(context, "t1"));
      assert.is((await p.bus.dispatch(new GetThing(context, "t1"))).computedAt, 1, "cached while Redis runs");

      await own.stop();
      const during = [];
      for (let i = 0; i < 5; i++) during.push(await p.bus.dispatch(new GetThing(context, "t1")));
      assert.equal(
        during.map((answer) => answer.computedAt),
        [2, 3, 4, 5, 6],
        "each answer computed by the handler",
      );
      assert.is(await p.lookups("error"), 5);
    } finally {
      await connection.stop();
      await own.stop();
    }
  },
);
test.run();
