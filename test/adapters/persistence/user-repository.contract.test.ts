import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { User } from "../../../src/domain/user/user.js";
import { EmailAlreadyRegistered } from "../../../src/domain/user/user-errors.js";
import type { UserEvent } from "../../../src/domain/user/user-events.js";
import { ConcurrencyConflict } from "../../../src/ports/unit-of-work.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";

const meta = { correlationId: "user-contract", principal: "system:test" };
const NOW = new Date("2026-03-01T12:00:00.123Z");
const LATER = new Date("2026-03-02T08:30:00.457Z");

function newUser(email = `ann-${randomUUID().slice(0, 8)}@example.com`): User {
  return User.register(
    { id: randomUUID(), email, givenName: "Ann", familyName: "Smith", roles: ["customer"] },
    NOW,
  );
}

async function saved(store: Store, user: User): Promise<User> {
  await store.unitOfWork.run(meta, () => store.users.save(user));
  return user;
}

await contract("UserRepository", (it) => {
  it("given a registered user, get returns the same state and version, to the millisecond", async (store) => {
    const user = await saved(store, newUser());
    const loaded = await store.users.get(user.id);
    assert.equal(loaded?.snapshot(), user.snapshot());
    assert.is(loaded?.snapshot().createdAt, "2026-03-01T12:00:00.123Z");
    assert.is(loaded?.version, 1);
    assert.is(loaded?.pendingEvents.length, 0);
  });

  it("given an unknown id, get returns undefined", async (store) => {
    assert.is(await store.users.get(randomUUID()), undefined);
  });

  it("idOfEmail finds the account holding a normalised address", async (store) => {
    const user = await saved(store, newUser());
    assert.is(await store.users.idOfEmail(user.snapshot().email), user.id);
    assert.is(await store.users.idOfEmail("nobody@example.com"), undefined);
  });

  it("given changes saved over several units of work, the state row equals fromHistory of the log", async (store) => {
    const user = await saved(store, newUser());
    for (const change of [
      (u: User) => u.updateProfile("Anne", "Smythe", LATER),
      (u: User) => u.assignRoles(["customer", "admin"], LATER),
      (u: User) => u.passwordChanged(LATER),
      (u: User) => u.deactivate(LATER),
    ]) {
      await store.unitOfWork.run(meta, async () => {
        const loaded = await store.users.get(user.id);
        if (loaded === undefined) throw new Error("lost the user");
        change(loaded);
        await store.users.save(loaded);
      });
    }
    const fromRow = await store.users.get(user.id);
    const history = await store.eventLog.history("user", user.id);
    const fromLog = User.fromHistory(history as unknown as UserEvent[]);
    assert.equal(fromLog.snapshot(), fromRow?.snapshot());
    assert.equal(fromRow?.snapshot().roles, ["admin", "customer"]);
    assert.is(fromRow?.snapshot().active, false);
    assert.is(fromRow?.snapshot().passwordChangedAt, LATER.toISOString());
    assert.is(fromRow?.version, 5);
  });

  it("given an account with an e-mail, registering another with the same address raises EmailAlreadyRegistered and stores nothing", async (store) => {
    const first = await saved(store, newUser());
    const clash = newUser(first.snapshot().email);
    const error = await rejects(() => saved(store, clash), EmailAlreadyRegistered);
    assert.is(error.email, first.snapshot().email);
    assert.is(await store.users.get(clash.id), undefined);
    assert.equal(await store.eventLog.history("user", clash.id), []);
  });

  it("given two registrations racing for one address spelt differently, exactly one wins and the other raises EmailAlreadyRegistered", async (store) => {
    const local = `race-${randomUUID().slice(0, 8)}`;
    const a = newUser(`${local}@example.com`);
    const b = newUser(` ${local.toUpperCase()}@Example.COM`);
    const outcomes = await Promise.allSettled([saved(store, a), saved(store, b)]);
    const lost = outcomes.filter((o) => o.status === "rejected");
    assert.is(lost.length, 1);
    assert.instance((lost[0] as PromiseRejectedResult).reason, EmailAlreadyRegistered);
    const winner = outcomes[0]?.status === "fulfilled" ? a : b;
    const loser = winner === a ? b : a;
    assert.is(await store.users.idOfEmail(`${local}@example.com`), winner.id);
    assert.is(await store.users.get(loser.id), undefined);
    assert.equal(await store.eventLog.history("user", loser.id), []);
  });

  it("given two copies of one user, saving the stale one raises ConcurrencyConflict and keeps the first write", async (store) => {
    const user = await saved(store, newUser());
    const a = await store.users.get(user.id);
    const b = await store.users.get(user.id);
    if (a === undefined || b === undefined) throw new Error("not found");
    a.updateProfile("Winner", "Smith", LATER);
    b.updateProfile("Loser", "Smith", LATER);
    await store.unitOfWork.run(meta, () => store.users.save(a));
    await rejects(() => store.unitOfWork.run(meta, () => store.users.save(b)), ConcurrencyConflict);
    assert.is((await store.users.get(user.id))?.snapshot().givenName, "Winner");
    assert.equal(
      (await store.eventLog.history("user", user.id)).map((e) => e.version),
      [1, 2],
    );
  });

  it("saving outside a unit of work is refused and writes nothing", async (store) => {
    const user = newUser();
    await rejects(() => store.users.save(user), Error);
    assert.is(await store.users.get(user.id), undefined);
    assert.equal(await store.eventLog.history("user", user.id), []);
  });
});
