import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import type { NewApiKey } from "../../../src/ports/auth/api-keys.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";

const meta = { correlationId: "api-keys-contract", principal: "system:test" };
const CREATED = new Date("2026-03-01T12:00:00.123Z");
const at = (offsetMs: number) => new Date(CREATED.getTime() + offsetMs);

function newKey(over: Partial<NewApiKey> = {}): NewApiKey {
  return {
    id: randomUUID(),
    userId: randomUUID(),
    name: "CI pipeline",
    prefix: randomUUID().replaceAll("-", "").slice(0, 12),
    secretHash: `hash-${randomUUID()}`,
    permissions: ["orders:read", "products:write"],
    createdAt: CREATED,
    ...over,
  };
}

async function added(store: Store, ...keys: NewApiKey[]): Promise<void> {
  await store.unitOfWork.run(meta, async () => {
    for (const key of keys) await store.apiKeys.add(key);
  });
}

await contract("ApiKeys", (it) => {
  it("given an added key, get and findByPrefix return it exactly, dates to the millisecond; unknown ones give undefined", async (store) => {
    const key = newKey({ expiresAt: new Date("2027-03-01T00:00:00.999Z") });
    const forever = newKey({ permissions: [] });
    await added(store, key, forever);
    assert.equal(await store.apiKeys.get(key.id), key);
    assert.equal(await store.apiKeys.findByPrefix(key.prefix), key);
    assert.equal(await store.apiKeys.findByPrefix(forever.prefix), forever);
    assert.is(await store.apiKeys.get(randomUUID()), undefined);
    assert.is(await store.apiKeys.findByPrefix("nosuchprefix"), undefined);
  });

  it("given a key with a prefix, adding another with the same prefix fails and stores nothing", async (store) => {
    const key = newKey();
    await added(store, key);
    const clash = newKey({ prefix: key.prefix });
    await rejects(() => added(store, clash), Error);
    assert.is(await store.apiKeys.get(clash.id), undefined);
    assert.equal(await store.apiKeys.findByPrefix(key.prefix), key);
  });

  it("adding outside a unit of work is refused and stores nothing", async (store) => {
    const key = newKey();
    await rejects(() => store.apiKeys.add(key), Error);
    assert.is(await store.apiKeys.get(key.id), undefined);
  });

  it("listOfUser gives the account's keys newest first, revoked ones included, and no one else's", async (store) => {
    const userId = randomUUID();
    const [old, revoked, newest] = [
      newKey({ userId, createdAt: at(0) }),
      newKey({ userId, createdAt: at(1_000) }),
      newKey({ userId, createdAt: at(2_000) }),
    ];
    await added(store, revoked, newest, old, newKey());
    await store.unitOfWork.run(meta, () => store.apiKeys.revoke(revoked.id, at(3_000)));
    assert.equal(await store.apiKeys.listOfUser(userId), [newest, { ...revoked, revokedAt: at(3_000) }, old]);
    assert.equal(await store.apiKeys.listOfUser(randomUUID()), []);
  });

  it("given keys created at one instant, listOfUser breaks the tie by id, consistently", async (store) => {
    const userId = randomUUID();
    const keys = [newKey({ userId }), newKey({ userId }), newKey({ userId })];
    await added(store, ...keys);
    const expected = [...keys].sort((a, b) => (a.id < b.id ? 1 : -1)).map((k) => k.id);
    assert.equal(
      (await store.apiKeys.listOfUser(userId)).map((k) => k.id),
      expected,
    );
  });

  it("revoke revokes a live key once and says whether it did", async (store) => {
    const key = newKey();
    await added(store, key);
    const first = await store.unitOfWork.run(meta, () => store.apiKeys.revoke(key.id, at(1_000)));
    const again = await store.unitOfWork.run(meta, () => store.apiKeys.revoke(key.id, at(2_000)));
    const unknown = await store.unitOfWork.run(meta, () => store.apiKeys.revoke(randomUUID(), at(2_000)));
    assert.equal([first, again, unknown], [true, false, false]);
    assert.equal(await store.apiKeys.get(key.id), { ...key, revokedAt: at(1_000) });
  });

  it("revoking outside a unit of work is refused and the key stays live; a failed unit of work rolls it back", async (store) => {
    const key = newKey();
    await added(store, key);
    await rejects(() => store.apiKeys.revoke(key.id, at(1_000)), Error);
    await rejects(
      () =>
        store.unitOfWork.run(meta, async () => {
          await store.apiKeys.revoke(key.id, at(1_000));
          throw new Error("the command failed after revoking");
        }),
      Error,
    );
    assert.equal(await store.apiKeys.get(key.id), key);
  });

  it("given a touch racing a revocation in a unit of work, both succeed and both are recorded", async (store) => {
    const key = newKey();
    await added(store, key);
    const [revoked] = await Promise.all([
      store.unitOfWork.run(meta, () => store.apiKeys.revoke(key.id, at(1_000))),
      store.apiKeys.touch(key.id, at(2_000)),
    ]);
    assert.is(revoked, true);
    assert.equal(await store.apiKeys.get(key.id), { ...key, revokedAt: at(1_000), lastUsedAt: at(2_000) });
  });

  it("touch records a use outside any unit of work, and skips the write within a minute of the last", async (store) => {
    const key = newKey();
    await added(store, key);
    const lastUsed = async () => (await store.apiKeys.get(key.id))?.lastUsedAt;
    await store.apiKeys.touch(key.id, at(5_000));
    assert.equal(await lastUsed(), at(5_000));
    await store.apiKeys.touch(key.id, at(5_000 + 59_999));
    assert.equal(await lastUsed(), at(5_000));
    await store.apiKeys.touch(key.id, at(5_000 + 60_000));
    assert.equal(await lastUsed(), at(65_000));
    await store.apiKeys.touch(key.id, at(1_000));
    assert.equal(await lastUsed(), at(65_000));
    await store.apiKeys.touch(randomUUID(), at(1_000));
  });

  it("given concurrent touches of a key, both succeed and one use is recorded", async (store) => {
    const key = newKey();
    await added(store, key);
    await Promise.all([store.apiKeys.touch(key.id, at(10_000)), store.apiKeys.touch(key.id, at(10_500))]);
    const lastUsedAt = (await store.apiKeys.get(key.id))?.lastUsedAt;
    assert.ok(
      lastUsedAt?.getTime() === at(10_000).getTime() || lastUsedAt?.getTime() === at(10_500).getTime(),
      `unexpected lastUsedAt ${lastUsedAt?.toISOString()}`,
    );
  });
});
