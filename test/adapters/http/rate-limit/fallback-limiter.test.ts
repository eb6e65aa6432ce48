import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import * as assert from "uvu/assert";
import { type Guard, withFallback } from "../../../../src/adapters/http/rate-limit/fallback-limiter.js";
import { rejects } from "../../../support/rejects.js";
import { test } from "../../../support/uvu.js";

class StoreDown extends Error {}

const limit = (name: string) => new RateLimiterMemory({ keyPrefix: name, points: 2, duration: 60 });

/** A guard that refuses every call without running it, as an open circuit does, counting what it saw. */
function refusing() {
  const seen = { calls: 0 };
  const guard: Guard = {
    run: async () => {
      seen.calls += 1;
      throw new StoreDown("circuit open");
    },
  };
  return { guard, seen };
}

/** The RateLimiterRes a consume rejected with (over the limit), or undefined when it passed. */
async function refusal(consumed: Promise<RateLimiterRes>): Promise<RateLimiterRes | undefined> {
  return consumed.then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof RateLimiterRes) return error;
      throw error;
    },
  );
}

test("given a store that answers, calls go to the store through the guard and the fallback is untouched", async () => {
  const [store, fallback] = [limit("store"), limit("fallback")];
  let guarded = 0;
  const limiter = withFallback(store, fallback, {
    run: (operation) => {
      guarded += 1;
      return operation();
    },
  });
  await limiter.consume("k");
  assert.is(guarded, 1);
  assert.is((await store.get("k"))?.consumedPoints, 1);
  assert.is(await fallback.get("k"), null);
});

test("given a guard that refuses, calls are made on the fallback, which still limits", async () => {
  const { guard, seen } = refusing();
  const limiter = withFallback(limit("store"), limit("fallback"), guard);
  await limiter.consume("k");
  await limiter.consume("k");
  const over = await refusal(limiter.consume("k"));
  assert.is(over?.consumedPoints, 3);
  assert.is(seen.calls, 3);
});

test("given no fallback (failing closed), the store's failure reaches the caller", async () => {
  const { guard } = refusing();
  const limiter = withFallback(limit("store"), undefined, guard);
  await rejects(() => limiter.consume("k"), StoreDown);
  await rejects(() => limiter.get("k"), StoreDown);
});

test("when the store says a key is over its limit, that answer passes through and the fallback is not asked", async () => {
  const [store, fallback] = [limit("store"), limit("fallback")];
  const limiter = withFallback(store, fallback);
  await limiter.consume("k");
  await limiter.consume("k");
  assert.instance(await refusal(limiter.consume("k")), RateLimiterRes);
  assert.is(await fallback.get("k"), null);
});

test.run();
