import * as assert from "uvu/assert";
import {
  type LimiterStore,
  memoryLimiters,
  redisLimiters,
} from "../../../../src/adapters/http/rate-limit/limiter-store.js";
import { RateLimited, RateLimitUnavailable } from "../../../../src/adapters/http/rate-limit/rate-limited.js";
import {
  createRateLimits,
  type RateLimitSettings,
} from "../../../../src/adapters/http/rate-limit/rate-limits.js";
import { RedisConnection } from "../../../../src/adapters/redis/redis-connection.js";
import { REDIS_URL, redisDecision, UNREACHABLE_REDIS_URL, uniqueKeyPrefix } from "../../../support/redis.js";
import { rejects } from "../../../support/rejects.js";
import type { ServiceDecision } from "../../../support/services.js";
import { suite } from "../../../support/uvu.js";
import { recordingLogger } from "../../mail/recording-logger.js";
import { liveSettings } from "./live-settings.js";

/** Limiter stores on one set of counters (a fresh key prefix per test), as separate keel processes see them. */
interface Stores {
  /** Another instance's store; with a shared store it sees the same counters. */
  open(): Promise<LimiterStore>;
  close(): Promise<void>;
}

interface Driver {
  readonly name: string;
  /** Whether two instances share counters: what makes the limits hold across replicas. */
  readonly shared: boolean;
  readonly decision: ServiceDecision;
  stores(): Stores;
}

function redisStores(url: string): Stores {
  const prefix = uniqueKeyPrefix();
  const connections: RedisConnection[] = [];
  return {
    open: async () => {
      const connection = new RedisConnection({ url, logger: recordingLogger() });
      connections.push(connection);
      await connection.start();
      return redisLimiters(connection.client, prefix);
    },
    close: async () => {
      await Promise.all(connections.map((c) => c.stop()));
    },
  };
}

const DRIVERS: readonly Driver[] = [
  {
    name: "memory",
    shared: false,
    decision: { run: true },
    stores: () => {
      const prefix = uniqueKeyPrefix();
      return { open: async () => memoryLimiters(prefix), close: async () => {} };
    },
  },
  { name: "redis", shared: true, decision: await redisDecision(), stores: () => redisStores(REDIS_URL) },
];

const throttle = (store: LimiterStore, settings: Partial<RateLimitSettings> = {}) =>
  createRateLimits(store, liveSettings(settings)).login;

const loginLimits = (usernamePoints: number, ipPoints: number) => ({
  login: { usernamePoints, ipPoints, windowS: 60 },
});

for (const driver of DRIVERS) {
  const it = suite<{ stores?: Stores }>(`LoginThrottle [${driver.name}]`);
  const { decision } = driver;
  if (!decision.run) console.log(`  LoginThrottle [${driver.name}] skipped: ${decision.reason}`);
  it.before.each((context) => {
    context.stores = driver.stores();
  });
  it.after.each(async (context) => {
    await context.stores?.close();
  });
  const spec = (name: string, body: (stores: Stores) => Promise<void>) => {
    const run = async (context: { stores?: Stores }) => {
      if (context.stores === undefined) throw new Error("stores not opened");
      await body(context.stores);
    };
    if (decision.run) it(name, run);
    else it.skip(name, run);
  };

  spec(
    "given as many attempts as a username allows, its next attempt is refused with a retry-after",
    async (stores) => {
      const login = throttle(await stores.open(), loginLimits(3, 100));
      for (let i = 0; i < 3; i++) await login.attempt("alice@example.com", "203.0.113.1");
      const refused = await rejects(() => login.attempt("alice@example.com", "203.0.113.2"), RateLimited);
      assert.ok(
        refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60,
        `${refused.retryAfterSeconds}`,
      );
      await login.attempt("bob@example.com", "203.0.113.1");
    },
  );

  spec("given failures under spellings of one username, they count as one username", async (stores) => {
    const login = throttle(await stores.open(), loginLimits(2, 100));
    await login.attempt("  Alice@Example.COM ", "203.0.113.1");
    await login.attempt("alice@example.com", "203.0.113.2");
    await rejects(() => login.attempt("ALICE@example.com", "203.0.113.3"), RateLimited);
  });

  spec("when a login succeeds, the username's failures are forgiven", async (stores) => {
    const login = throttle(await stores.open(), loginLimits(3, 100));
    await login.attempt("alice@example.com", "203.0.113.1");
    await login.attempt("alice@example.com", "203.0.113.1");
    await login.succeeded("alice@example.com", "203.0.113.1");
    await login.attempt("alice@example.com", "203.0.113.1");
    await login.attempt("alice@example.com", "203.0.113.1");
    await login.attempt("alice@example.com", "203.0.113.1");
  });

  spec(
    "given failures from one address across usernames, that address is refused for any username",
    async (stores) => {
      const login = throttle(await stores.open(), loginLimits(3, 4));
      for (const name of ["a", "b", "c", "d"]) await login.attempt(`${name}@example.com`, "203.0.113.9");
      await rejects(() => login.attempt("fresh@example.com", "203.0.113.9"), RateLimited);
      await login.attempt("fresh@example.com", "203.0.113.10");
    },
  );

  spec("when the username limit is raised by a reload, a refused username may try again", async (stores) => {
    const settings = liveSettings(loginLimits(1, 100));
    const login = createRateLimits(await stores.open(), settings).login;
    await login.attempt("alice@example.com", "203.0.113.1");
    await rejects(() => login.attempt("alice@example.com", "203.0.113.1"), RateLimited);
    settings.set((s) => ({ ...s, login: { ...s.login, usernamePoints: 5 } }));
    await login.attempt("alice@example.com", "203.0.113.1");
  });

  spec("given rate limits turned off, nothing is counted or refused", async (stores) => {
    const login = throttle(await stores.open(), { enabled: false, ...loginLimits(1, 1) });
    await login.attempt("alice@example.com", "203.0.113.1");
    await login.attempt("alice@example.com", "203.0.113.1");
    await login.attempt("alice@example.com", "203.0.113.1");
  });

  if (driver.shared) {
    spec(
      "given two instances on one store, each sees the other's failures (brute force across replicas)",
      async (stores) => {
        const [first, second] = [throttle(await stores.open()), throttle(await stores.open())];
        await first.attempt("alice@example.com", "203.0.113.1");
        await second.attempt("alice@example.com", "203.0.113.2");
        await first.attempt("alice@example.com", "203.0.113.3");
        await rejects(() => second.attempt("alice@example.com", "203.0.113.4"), RateLimited);
      },
    );
  }

  it.run();
}

const down = suite<{ stores?: Stores }>("LoginThrottle [redis unreachable]");
down.before.each((context) => {
  context.stores = redisStores(UNREACHABLE_REDIS_URL);
});
down.after.each(async (context) => {
  await context.stores?.close();
});

down("given Redis down and failing closed, a login attempt is refused as unavailable", async (context) => {
  const login = throttle(await (context.stores as Stores).open(), { onStoreFailure: "closed" });
  await rejects(() => login.attempt("alice@example.com", "203.0.113.1"), RateLimitUnavailable);
  await rejects(() => login.attempt("alice@example.com", "203.0.113.1"), RateLimitUnavailable);
});

down("given Redis down and failing open, this instance still counts attempts itself", async (context) => {
  const login = throttle(await (context.stores as Stores).open(), {
    onStoreFailure: "open",
    ...loginLimits(2, 100),
  });
  await login.attempt("alice@example.com", "203.0.113.1");
  await login.attempt("alice@example.com", "203.0.113.1");
  await rejects(() => login.attempt("alice@example.com", "203.0.113.1"), RateLimited);
});

down.run();
