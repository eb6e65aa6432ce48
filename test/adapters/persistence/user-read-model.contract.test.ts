import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { User } from "../../../src/domain/user/user.js";
import type { UserCriteria, UserView } from "../../../src/ports/user/user-read-model.js";
import { contract } from "../../support/contract.js";
import type { Store } from "../../support/persistence.js";

const meta = { correlationId: "user-read-contract", principal: "system:test" };

interface Seed {
  readonly local: string;
  readonly familyName: string;
  readonly roles: readonly string[];
  readonly at: string;
  readonly deactivated?: boolean;
}

/** Accounts at "<tag>-<local>@example.com", so each test filters to its own rows in a shared store. */
async function seed(store: Store, tag: string, rows: readonly Seed[]): Promise<User[]> {
  return store.unitOfWork.run(meta, async () => {
    const users: User[] = [];
    for (const row of rows) {
      const at = new Date(row.at);
      const user = User.register(
        {
          id: randomUUID(),
          email: `${tag}-${row.local}@example.com`,
          givenName: "Given",
          familyName: row.familyName,
          roles: row.roles,
        },
        at,
      );
      if (row.deactivated === true) user.deactivate(at);
      await store.users.save(user);
      users.push(user);
    }
    return users;
  });
}

const criteria = (tag: string, over: Partial<UserCriteria> = {}): UserCriteria => ({
  emailContains: tag,
  sort: { field: "email", direction: "asc" },
  page: 1,
  pageSize: 10,
  ...over,
});

const locals = (items: readonly UserView[], tag: string) =>
  items.map((u) => u.email.replace(`${tag}-`, "").replace("@example.com", ""));

await contract("UserReadModel", (it) => {
  it("get returns the view with sorted roles, version and timestamps; an unknown id gives undefined", async (store) => {
    const tag = `g${randomUUID().slice(0, 6)}`;
    const [user] = await seed(store, tag, [
      { local: "ann", familyName: "Smith", roles: ["staff", "customer"], at: "2026-01-01T10:00:00.321Z" },
    ]);
    if (user === undefined) throw new Error("not seeded");
    assert.equal(await store.userViews.get(user.id), {
      id: user.id,
      email: `${tag}-ann@example.com`,
      givenName: "Given",
      familyName: "Smith",
      roles: ["customer", "staff"],
      active: true,
      version: 1,
      createdAt: "2026-01-01T10:00:00.321Z",
      updatedAt: "2026-01-01T10:00:00.321Z",
    });
    assert.is(await store.userViews.get(randomUUID()), undefined);
  });

  it("the e-mail filter is a case-insensitive substring; % and _ are literal", async (store) => {
    const tag = `f${randomUUID().slice(0, 6)}`;
    await seed(store, tag, [
      { local: "red.ann", familyName: "A", roles: [], at: "2026-01-01T00:00:00Z" },
      { local: "redford.bob", familyName: "B", roles: [], at: "2026-01-01T00:00:01Z" },
      { local: "100%off", familyName: "C", roles: [], at: "2026-01-01T00:00:02Z" },
      { local: "blue.cy", familyName: "D", roles: [], at: "2026-01-01T00:00:03Z" },
    ]);
    const list = async (needle: string) =>
      locals((await store.userViews.list(criteria(tag, { emailContains: needle }))).items, tag);
    assert.equal(await list(tag.toUpperCase()), ["100%off", "blue.cy", "red.ann", "redford.bob"]);
    assert.equal(await list(`${tag.toUpperCase()}-RED`), ["red.ann", "redford.bob"]);
    assert.equal(await list(`${tag}-100%`), ["100%off"]);
    assert.equal(await list(`${tag}-%`), []);
    assert.equal(await list(`${tag}-1_0`), []);
  });

  it("the role and active filters narrow the list, alone and together", async (store) => {
    const tag = `r${randomUUID().slice(0, 6)}`;
    await seed(store, tag, [
      { local: "a", familyName: "A", roles: ["admin", "customer"], at: "2026-01-01T00:00:00Z" },
      { local: "b", familyName: "B", roles: ["customer"], at: "2026-01-01T00:00:01Z" },
      { local: "c", familyName: "C", roles: ["admin"], at: "2026-01-01T00:00:02Z", deactivated: true },
      { local: "d", familyName: "D", roles: [], at: "2026-01-01T00:00:03Z" },
    ]);
    const list = async (over: Partial<UserCriteria>) =>
      locals((await store.userViews.list(criteria(tag, over))).items, tag);
    assert.equal(await list({ role: "admin" }), ["a", "c"]);
    assert.equal(await list({ role: "customer" }), ["a", "b"]);
    assert.equal(await list({ role: "admi" }), []);
    assert.equal(await list({ active: false }), ["c"]);
    assert.equal(await list({ active: true }), ["a", "b", "d"]);
    assert.equal(await list({ role: "admin", active: true }), ["a"]);
  });

  it("sorts apply in both directions with id as tie-breaker; pages and total", async (store) => {
    const tag = `s${randomUUID().slice(0, 6)}`;
    const [ann, bob, cyd, dee] = await seed(store, tag, [
      { local: "ann", familyName: "young", roles: [], at: "2026-01-01T00:00:03Z" },
      { local: "bob", familyName: "Smith", roles: [], at: "2026-01-01T00:00:01Z" },
      { local: "cyd", familyName: "smith", roles: [], at: "2026-01-01T00:00:01Z" },
      { local: "dee", familyName: "Adams", roles: [], at: "2026-01-01T00:00:02Z" },
    ]);
    if (ann === undefined || bob === undefined || cyd === undefined || dee === undefined)
      throw new Error("not seeded");
    const smiths = [bob, cyd].sort((x, y) => (x.id < y.id ? -1 : 1)).map((u) => u.snapshot().email);
    const list = async (over: Partial<UserCriteria>) =>
      (await store.userViews.list(criteria(tag, over))).items.map((u) => u.email);
    const email = (u: User) => u.snapshot().email;

    assert.equal(
      await list({ sort: { field: "email", direction: "desc" } }),
      [dee, cyd, bob, ann].map(email),
    );
    assert.equal(await list({ sort: { field: "familyName", direction: "asc" } }), [
      email(dee),
      ...smiths,
      email(ann),
    ]);
    assert.equal(await list({ sort: { field: "familyName", direction: "desc" } }), [
      email(ann),
      ...[...smiths].reverse(),
      email(dee),
    ]);
    assert.equal(await list({ sort: { field: "createdAt", direction: "asc" } }), [
      ...smiths,
      email(dee),
      email(ann),
    ]);
    assert.equal(await list({ sort: { field: "createdAt", direction: "desc" } }), [
      email(ann),
      email(dee),
      ...[...smiths].reverse(),
    ]);

    const page2 = await store.userViews.list(criteria(tag, { pageSize: 3, page: 2 }));
    assert.equal([locals(page2.items, tag), page2.total], [["dee"], 4]);
    const beyond = await store.userViews.list(criteria(tag, { pageSize: 3, page: 5 }));
    assert.equal([beyond.items.length, beyond.total], [0, 4]);
  });
});
