import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { User } from "../../../src/domain/user/user.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";

const meta = { correlationId: "credentials-contract", principal: "system:test" };
const NOW = new Date("2026-03-01T12:00:00.000Z");

function newUser(): User {
  return User.register(
    {
      id: randomUUID(),
      email: `cred-${randomUUID().slice(0, 8)}@example.com`,
      givenName: "Ann",
      familyName: "Smith",
      roles: [],
    },
    NOW,
  );
}

/** Registers an account and stores its hash in one unit of work, as opening an account does. */
async function registered(store: Store, hash: string): Promise<User> {
  const user = newUser();
  await store.unitOfWork.run(meta, async () => {
    await store.users.save(user);
    await store.credentials.setPasswordHash(user.id, hash);
  });
  return user;
}

await contract("Credentials", (it) => {
  it("given an account registered with a hash, passwordHash returns it; an unknown account has none", async (store) => {
    const user = await registered(store, "$argon2id$v=19$first");
    assert.is(await store.credentials.passwordHash(user.id), "$argon2id$v=19$first");
    assert.is(await store.credentials.passwordHash(randomUUID()), undefined);
  });

  it("given a stored hash, setting another replaces it", async (store) => {
    const user = await registered(store, "old-hash");
    await store.unitOfWork.run(meta, () => store.credentials.setPasswordHash(user.id, "new-hash"));
    assert.is(await store.credentials.passwordHash(user.id), "new-hash");
  });

  it("given a unit of work that fails after storing the account and its hash, neither is kept", async (store) => {
    const user = newUser();
    await rejects(
      () =>
        store.unitOfWork.run(meta, async () => {
          await store.users.save(user);
          await store.credentials.setPasswordHash(user.id, "hash");
          throw new Error("the command failed after saving");
        }),
      Error,
    );
    assert.is(await store.users.get(user.id), undefined);
    assert.is(await store.credentials.passwordHash(user.id), undefined);
  });

  it("inside the unit of work, passwordHash reads the hash the same unit of work stored", async (store) => {
    const user = await registered(store, "before");
    await store.unitOfWork.run(meta, async () => {
      await store.credentials.setPasswordHash(user.id, "inside");
      assert.is(await store.credentials.passwordHash(user.id), "inside");
    });
  });

  it("setting a hash outside a unit of work is refused and writes nothing", async (store) => {
    const user = await registered(store, "kept");
    await rejects(() => store.credentials.setPasswordHash(user.id, "sneaked"), Error);
    assert.is(await store.credentials.passwordHash(user.id), "kept");
  });
});
