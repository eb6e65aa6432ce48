import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import type { NewRefreshToken } from "../../../src/ports/auth/refresh-tokens.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";

const meta = { correlationId: "refresh-contract", principal: "system:test" };
const ISSUED = new Date("2026-03-01T12:00:00.123Z");
const USED = new Date("2026-03-01T12:05:00.456Z");
const REVOKED = new Date("2026-03-01T12:10:00.789Z");

function newToken(over: Partial<NewRefreshToken> = {}): NewRefreshToken {
  return {
    id: randomUUID(),
    familyId: randomUUID(),
    userId: randomUUID(),
    secretHash: `hash-${randomUUID()}`,
    scopes: ["orders:read", "products:read"],
    createdAt: ISSUED,
    expiresAt: new Date("2026-03-31T12:00:00.999Z"),
    ...over,
  };
}

async function added(store: Store, ...tokens: NewRefreshToken[]): Promise<void> {
  await store.unitOfWork.run(meta, async () => {
    for (const token of tokens) await store.refreshTokens.add(token);
  });
}

const find = (store: Store, token: NewRefreshToken) => store.refreshTokens.findBySecretHash(token.secretHash);

await contract("RefreshTokens", (it) => {
  it("given an added token, findBySecretHash returns it exactly, dates to the millisecond; an unknown hash gives undefined", async (store) => {
    const token = newToken();
    await added(store, token);
    assert.equal(await find(store, token), token);
    assert.is(await find(store, newToken()), undefined);
    const unscoped = newToken({ scopes: [] });
    await added(store, unscoped);
    assert.equal((await find(store, unscoped))?.scopes, []);
  });

  it("adding outside a unit of work is refused and stores nothing", async (store) => {
    const token = newToken();
    await rejects(() => store.refreshTokens.add(token), Error);
    assert.is(await find(store, token), undefined);
  });

  it("given a live token, markRotated marks it once: the first use wins, a second is refused", async (store) => {
    const token = newToken();
    await added(store, token);
    assert.is(await store.refreshTokens.markRotated(token.id, USED), true);
    assert.is(await store.refreshTokens.markRotated(token.id, REVOKED), false);
    assert.equal(await find(store, token), { ...token, rotatedAt: USED });
  });

  it("given two concurrent uses of one token, exactly one rotates it", async (store) => {
    const token = newToken();
    await added(store, token);
    const outcomes = await Promise.all([
      store.refreshTokens.markRotated(token.id, USED),
      store.refreshTokens.markRotated(token.id, REVOKED),
    ]);
    assert.equal([...outcomes].sort(), [false, true]);
    const rotatedAt = (await find(store, token))?.rotatedAt;
    assert.equal(rotatedAt, outcomes[0] ? USED : REVOKED);
  });

  it("given two concurrent units of work each rotating one token and issuing a successor, exactly one rotates it and both commit", async (store) => {
    const token = newToken();
    await added(store, token);
    const successors = [newToken({ familyId: token.familyId }), newToken({ familyId: token.familyId })];
    const outcomes = await Promise.all(
      successors.map((successor, i) =>
        store.unitOfWork.run(meta, async () => {
          if (!(await store.refreshTokens.markRotated(token.id, i === 0 ? USED : REVOKED))) return false;
          await store.refreshTokens.add(successor);
          return true;
        }),
      ),
    );
    assert.equal([...outcomes].sort(), [false, true]);
    const stored = await Promise.all(successors.map((s) => find(store, s)));
    assert.equal(
      stored.map((s) => s !== undefined),
      outcomes,
    );
    assert.equal((await find(store, token))?.rotatedAt, outcomes[0] ? USED : REVOKED);
  });

  it("given a rotation and a revocation of one family racing in two units of work, both commit and the token ends revoked", async (store) => {
    const token = newToken();
    await added(store, token);
    const [rotated, revoked] = await Promise.all([
      store.unitOfWork.run(meta, () => store.refreshTokens.markRotated(token.id, USED)),
      store.unitOfWork.run(meta, () => store.refreshTokens.revokeFamily(token.familyId, REVOKED)),
    ]);
    assert.is(revoked, 1);
    assert.equal(await find(store, token), {
      ...token,
      ...(rotated ? { rotatedAt: USED } : {}),
      revokedAt: REVOKED,
    });
  });

  it("given a revoked or unknown token, markRotated changes nothing and says so", async (store) => {
    const token = newToken();
    await added(store, token);
    await store.refreshTokens.revokeFamily(token.familyId, REVOKED);
    assert.is(await store.refreshTokens.markRotated(token.id, USED), false);
    assert.equal(await find(store, token), { ...token, revokedAt: REVOKED });
    assert.is(await store.refreshTokens.markRotated(randomUUID(), USED), false);
  });

  it("revokeFamily revokes the family's tokens not revoked yet, rotated ones included, counts them, and keeps earlier revocations", async (store) => {
    const familyId = randomUUID();
    const earlier = newToken({ familyId });
    await added(store, earlier);
    assert.is(await store.refreshTokens.revokeFamily(familyId, USED), 1);
    const [rotated, current, otherFamily] = [newToken({ familyId }), newToken({ familyId }), newToken()];
    await added(store, rotated, current, otherFamily);
    await store.refreshTokens.markRotated(rotated.id, USED);
    assert.is(await store.refreshTokens.revokeFamily(familyId, REVOKED), 2);
    assert.is(await store.refreshTokens.revokeFamily(familyId, REVOKED), 0);
    assert.equal(await find(store, earlier), { ...earlier, revokedAt: USED });
    assert.equal(await find(store, rotated), { ...rotated, rotatedAt: USED, revokedAt: REVOKED });
    assert.equal(await find(store, current), { ...current, revokedAt: REVOKED });
    assert.equal(await find(store, otherFamily), otherFamily);
  });

  it("revokeAllOfUser revokes every live token of the account across families, and no one else's", async (store) => {
    const userId = randomUUID();
    const tokens = [newToken({ userId }), newToken({ userId }), newToken({ userId })];
    const someoneElse = newToken();
    await added(store, ...tokens, someoneElse);
    const [first] = tokens;
    if (first === undefined) throw new Error("no token");
    await store.refreshTokens.revokeFamily(first.familyId, USED);
    assert.is(await store.refreshTokens.revokeAllOfUser(userId, REVOKED), 2);
    assert.is(await store.refreshTokens.revokeAllOfUser(userId, REVOKED), 0);
    assert.equal((await find(store, first))?.revokedAt, USED);
    for (const token of tokens.slice(1)) assert.equal((await find(store, token))?.revokedAt, REVOKED);
    assert.equal(await find(store, someoneElse), someoneElse);
  });

  it("inside a unit of work, a revocation joins it: when the work fails, the tokens stay live", async (store) => {
    const token = newToken();
    await added(store, token);
    await rejects(
      () =>
        store.unitOfWork.run(meta, async () => {
          assert.is(await store.refreshTokens.revokeAllOfUser(token.userId, REVOKED), 1);
          throw new Error("the password change failed");
        }),
      Error,
    );
    assert.equal(await find(store, token), token);
  });

  it("purgeExpired deletes exactly the tokens expired before the cut-off, live, rotated and revoked alike, and counts them", async (store) => {
    const cutOff = new Date("2025-06-01T00:00:00.500Z");
    const before = new Date(cutOff.getTime() - 1);
    const [live, rotated, revoked] = [
      newToken({ expiresAt: before }),
      newToken({ expiresAt: new Date("2025-05-01T00:00:00.000Z") }),
      newToken({ expiresAt: new Date("2025-04-01T00:00:00.000Z") }),
    ];
    const [atCutOff, later] = [
      newToken({ expiresAt: cutOff }),
      newToken({ expiresAt: new Date("2025-07-01") }),
    ];
    await added(store, live, rotated, revoked, atCutOff, later);
    await store.refreshTokens.markRotated(rotated.id, USED);
    await store.refreshTokens.revokeFamily(revoked.familyId, REVOKED);
    assert.is(await store.refreshTokens.purgeExpired(cutOff), 3);
    for (const token of [live, rotated, revoked]) assert.is(await find(store, token), undefined);
    assert.equal(await find(store, atCutOff), atCutOff);
    assert.equal(await find(store, later), later);
    assert.is(await store.refreshTokens.purgeExpired(cutOff), 0);
  });
});
