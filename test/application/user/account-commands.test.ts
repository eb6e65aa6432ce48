import * as assert from "uvu/assert";
import { MemoryDatabase } from "../../../src/adapters/memory/memory-database.js";
import { MemoryUnitOfWork } from "../../../src/adapters/memory/memory-unit-of-work.js";
import { MemoryCredentials } from "../../../src/adapters/user/memory/memory-credentials.js";
import { MemoryUserReadModel } from "../../../src/adapters/user/memory/memory-user-read-model.js";
import { MemoryUserRepository } from "../../../src/adapters/user/memory/memory-user-repository.js";
import type { RolePolicy } from "../../../src/application/auth/auth-settings.js";
import type { ExecutionContext } from "../../../src/application/shared/execution-context.js";
import type { Command } from "../../../src/application/shared/message.js";
import { MessageBus } from "../../../src/application/shared/message-bus.js";
import type { RolePermissions } from "../../../src/application/shared/permissions.js";
import { UnitOfWorkBehaviour } from "../../../src/application/shared/unit-of-work-behaviour.js";
import { AssignRoles, AssignRolesHandler } from "../../../src/application/user/assign-roles.js";
import {
  CreateUser,
  CreateUserHandler,
  RegisterUser,
  RegisterUserHandler,
} from "../../../src/application/user/register-user.js";
import type { AccountRules } from "../../../src/application/user/user-settings.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import type { PasswordHasher } from "../../../src/ports/password-hasher.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { rejects } from "../../support/rejects.js";
import { SequentialIds } from "../../support/sequential-ids.js";
import { test } from "../../support/uvu.js";

/**
 * The account commands' own rules, which HTTP (`PUT /users/:id/roles`) and the CLI (`keel users
 * create`, which sends CreateUser) share because the handlers apply them: roles must be ones the live
 * role configuration defines, and text must be text every store can keep (HTTP refuses such text
 * first, with a 400; the domain is the backstop for every other caller).
 */

const system: ExecutionContext = { principal: { kind: "system", name: "test" }, correlationId: "roles" };

/** A live setting the test changes by hand, as a SIGHUP reload would. */
function live<T>(value: T) {
  let current = value;
  return {
    get: () => current,
    subscribe: () => () => {},
    set: (next: T) => {
      current = next;
    },
  };
}

const plainHasher: PasswordHasher = {
  hash: async (plain) => `plain:${plain}`,
  verify: async (hash, plain) => hash === `plain:${plain}`,
  needsRehash: () => false,
};

function harness() {
  const ids = new SequentialIds();
  const db = new MemoryDatabase(() => ids.next());
  const users = new MemoryUserRepository(db);
  const clock = new FixedClock();
  const rules: AccountRules = live({ passwordMinLength: 12, defaultRoles: [] });
  const roles = live<RolePermissions>({ admin: ["user:manage"], "catalog-manager": ["product:write"] });
  const opening = [
    users,
    new MemoryCredentials(db),
    plainHasher,
    ids,
    clock,
    new MemoryUnitOfWork(db),
    rules,
    roles as RolePolicy,
  ] as const;
  const commands = new MessageBus<Command<unknown>>([new UnitOfWorkBehaviour(new MemoryUnitOfWork(db))])
    .register(RegisterUser, new RegisterUserHandler(...opening))
    .register(CreateUser, new CreateUserHandler(...opening))
    .register(AssignRoles, new AssignRolesHandler(users, clock, roles));
  return { commands, roles, views: new MemoryUserReadModel(db) };
}

const account = {
  email: "ops@example.com",
  password: "a long enough passphrase",
  givenName: "O",
  familyName: "P",
};

test("when an account is created with a role the configuration does not define, then 422 naming it, and no account", async () => {
  const { commands, views } = harness();
  const error = await rejects(
    () => commands.dispatch(new CreateUser(system, { ...account, roles: ["admin", "superuser"] })),
    InvalidValue,
  );
  assert.is(error.field, "roles");
  assert.match(error.message, /superuser is not \(defined: admin, catalog-manager\)/);
  assert.is(
    (await views.list({ sort: { field: "email", direction: "asc" }, page: 1, pageSize: 10 })).total,
    0,
  );
});

test("given an account, when roles are replaced by an undefined one, then refused and its roles unchanged", async () => {
  const { commands, views } = harness();
  const { id } = await commands.dispatch(new CreateUser(system, { ...account, roles: ["Admin "] }));
  const error = await rejects(
    () => commands.dispatch(new AssignRoles(system, { userId: id, roles: ["wizard", "catalog-manager"] })),
    InvalidValue,
  );
  assert.match(error.message, /wizard is not/);
  assert.equal((await views.get(id))?.roles, ["admin"]);
});

test("given a role defined by a reload, when it is assigned, then it is accepted; removed again, refused", async () => {
  const { commands, roles } = harness();
  const { id } = await commands.dispatch(new CreateUser(system, { ...account, roles: [] }));
  roles.set({ ...roles.get(), reviewer: [] });
  const written = await commands.dispatch(new AssignRoles(system, { userId: id, roles: ["reviewer"] }));
  assert.is(written.version, 2);
  roles.set({ admin: ["user:manage"] });
  await rejects(
    () => commands.dispatch(new AssignRoles(system, { userId: id, roles: ["reviewer"] })),
    InvalidValue,
  );
});

test("a role name that only differs by case or spaces is the defined role", async () => {
  const { commands, views } = harness();
  const { id } = await commands.dispatch(new CreateUser(system, { ...account, roles: [" CATALOG-manager"] }));
  assert.equal((await views.get(id))?.roles, ["catalog-manager"]);
});

test("when an account is created from the CLI with a name holding a NUL, then 422 naming it, and no account", async () => {
  const { commands, views } = harness();
  const error = await rejects(
    () => commands.dispatch(new CreateUser(system, { ...account, givenName: "O\u0000", roles: [] })),
    InvalidValue,
  );
  assert.equal(
    [error.field, error.message],
    ["givenName", "givenName must not contain NUL characters or unpaired UTF-16 surrogates"],
  );
  assert.is(
    (await views.list({ sort: { field: "email", direction: "asc" }, page: 1, pageSize: 10 })).total,
    0,
  );
});

test.run();
