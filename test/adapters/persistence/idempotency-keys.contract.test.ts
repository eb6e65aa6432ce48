import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { IdempotencyKeys } from "../../../src/ports/idempotency-keys.js";
import { contract } from "../../support/contract.js";

const TTL_MS = 60_000;
const ABANDON_MS = 10_000;
const at = (ms: number) => ({
  now: new Date(Date.UTC(2026, 10, 30) + ms),
  ttlMs: TTL_MS,
  abandonAfterMs: ABANDON_MS,
});
const CREATED = {
  status: 201,
  body: { code: "OK", data: { id: "p-1" } },
  headers: { location: "/products/p-1" },
};

await contract("IdempotencyKeys", (it) => {
  it("given a free key, the first claim runs; a repeat sees it running, then the kept answer", async (store) => {
    const keys = store.container.get<IdempotencyKeys>(IdempotencyKeys);
    const key = randomUUID();
    assert.equal(await keys.claim("user:a", key, "f1", at(0)), { outcome: "claimed" });
    assert.equal(await keys.claim("user:a", key, "f1", at(1)), { outcome: "running", fingerprint: "f1" });
    await keys.answer("user:a", key, CREATED);
    assert.equal(await keys.claim("user:a", key, "f1", at(2)), {
      outcome: "answered",
      fingerprint: "f1",
      response: CREATED,
    });
  });

  it("given one key used by two callers, each has its own", async (store) => {
    const keys = store.container.get<IdempotencyKeys>(IdempotencyKeys);
    const key = randomUUID();
    assert.is((await keys.claim("user:a", key, "f1", at(0))).outcome, "claimed");
    assert.is((await keys.claim("user:b", key, "f2", at(0))).outcome, "claimed");
  });

  it("given a kept answer, another request with the key is shown the first's fingerprint", async (store) => {
    const keys = store.container.get<IdempotencyKeys>(IdempotencyKeys);
    const key = randomUUID();
    await keys.claim("user:a", key, "f1", at(0));
    await keys.answer("user:a", key, CREATED);
    const found = await keys.claim("user:a", key, "another", at(5));
    assert.is(found.outcome, "answered");
    assert.is(found.outcome === "answered" ? found.fingerprint : undefined, "f1");
  });

  it("given an expired answer, the key is claimed afresh", async (store) => {
    const keys = store.container.get<IdempotencyKeys>(IdempotencyKeys);
    const key = randomUUID();
    await keys.claim("user:a", key, "f1", at(0));
    await keys.answer("user:a", key, CREATED);
    assert.equal(await keys.claim("user:a", key, "f2", at(TTL_MS)), { outcome: "claimed" });
    assert.equal(await keys.claim("user:a", key, "f2", at(TTL_MS + 1)), {
      outcome: "running",
      fingerprint: "f2",
    });
  });

  it("given a claim whose request never answered (its process died), it is claimable after the abandon time only", async (store) => {
    const keys = store.container.get<IdempotencyKeys>(IdempotencyKeys);
    const key = randomUUID();
    await keys.claim("user:a", key, "f1", at(0));
    assert.is((await keys.claim("user:a", key, "f1", at(ABANDON_MS - 1))).outcome, "running");
    assert.is((await keys.claim("user:a", key, "f1", at(ABANDON_MS))).outcome, "claimed");
  });

  it("given a released claim, the key is free; an answered one is not released", async (store) => {
    const keys = store.container.get<IdempotencyKeys>(IdempotencyKeys);
    const key = randomUUID();
    await keys.claim("user:a", key, "f1", at(0));
    await keys.release("user:a", key);
    assert.is((await keys.claim("user:a", key, "f1", at(1))).outcome, "claimed");
    await keys.answer("user:a", key, CREATED);
    await keys.release("user:a", key);
    assert.is((await keys.claim("user:a", key, "f1", at(2))).outcome, "answered");
  });

  it("given ten concurrent claims of one key, exactly one runs", async (store) => {
    const keys = store.container.get<IdempotencyKeys>(IdempotencyKeys);
    const key = randomUUID();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => keys.claim("user:a", key, "f1", at(0)).then((c) => c.outcome)),
    );
    assert.is(outcomes.filter((outcome) => outcome === "claimed").length, 1, outcomes.join(", "));
  });
});
