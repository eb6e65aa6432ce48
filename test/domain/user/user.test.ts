import * as assert from "uvu/assert";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { User } from "../../../src/domain/user/user.js";
import { UserIsDeactivated } from "../../../src/domain/user/user-errors.js";
import type { UserEvent, UserRegistered } from "../../../src/domain/user/user-events.js";
import { scenario } from "../../support/aggregate-scenario.js";
import { test } from "../../support/uvu.js";

const USER_ID = "5a1b2c3d-0000-4000-8000-00000000abcd";
const NOW = new Date("2026-02-01T10:00:00.000Z");

const registered: UserRegistered = {
  type: "user.registered",
  aggregateId: USER_ID,
  version: 1,
  occurredAt: "2026-01-01T00:00:00.000Z",
  data: { email: "ann@example.com", givenName: "Ann", familyName: "Lee", roles: ["user"] },
};
const deactivated: UserEvent = {
  type: "user.deactivated",
  aggregateId: USER_ID,
  version: 2,
  occurredAt: "2026-01-02T00:00:00.000Z",
  data: {},
};

const user = scenario<UserEvent, User>(User.fromHistory);

test("when a user registers, then user.registered records the normalised email, names and unique sorted roles", () => {
  const u = User.register(
    {
      id: USER_ID,
      email: "  Ann@Example.COM ",
      givenName: " Ann ",
      familyName: "Lee",
      roles: ["user", "Admin", "user"],
    },
    NOW,
  );
  assert.equal(
    u.pendingEvents.map((e) => e.data),
    [{ email: "ann@example.com", givenName: "Ann", familyName: "Lee", roles: ["admin", "user"] }],
  );
  assert.is(u.snapshot().active, true);
});

test("when a user registers with a malformed email or role, then it is refused", () => {
  const base = { id: USER_ID, givenName: "Ann", familyName: "Lee" };
  assert.throws(
    () => User.register({ ...base, email: "ann@", roles: ["user"] }, NOW),
    (e: unknown) => e instanceof InvalidValue,
  );
  assert.throws(
    () => User.register({ ...base, email: "a b@example.com", roles: ["user"] }, NOW),
    (e: unknown) => e instanceof InvalidValue,
  );
  assert.throws(
    () => User.register({ ...base, email: "ann@example.com", roles: ["no spaces"] }, NOW),
    (e: unknown) => e instanceof InvalidValue,
  );
});

test("no event ever carries a credential", () => {
  const u = User.register(
    { id: USER_ID, email: "ann@example.com", givenName: "Ann", familyName: "Lee", roles: ["user"] },
    NOW,
  );
  u.passwordChanged(NOW);
  assert.not.match(JSON.stringify(u.pendingEvents), /password"|hash|secret/i);
  assert.equal(u.pendingEvents[1]?.type, "user.password_changed");
});

test("given a user, when the profile is updated, then user.profile_updated; the same names record nothing", () => {
  user
    .given([registered])
    .when((u) => u.updateProfile("Ann", "Lee-Park", NOW))
    .then([{ type: "user.profile_updated", version: 2, data: { givenName: "Ann", familyName: "Lee-Park" } }]);
  user
    .given([registered])
    .when((u) => u.updateProfile("Ann", "Lee", NOW))
    .then([]);
});

test("given a user, when roles are assigned, then user.roles_assigned with the new set; the same set records nothing", () => {
  user
    .given([registered])
    .when((u) => u.assignRoles(["user", "admin"], NOW))
    .then([{ type: "user.roles_assigned", version: 2, data: { roles: ["admin", "user"] } }]);
  user
    .given([registered])
    .when((u) => u.assignRoles(["USER"], NOW))
    .then([]);
});

test("given a deactivated user, when anything changes, then UserIsDeactivated; deactivating again records nothing", () => {
  user
    .given([registered, deactivated])
    .when((u) => u.updateProfile("A", "B", NOW))
    .thenFails(UserIsDeactivated, "USER_DEACTIVATED");
  user
    .given([registered, deactivated])
    .when((u) => u.assignRoles(["admin"], NOW))
    .thenFails(UserIsDeactivated);
  user
    .given([registered, deactivated])
    .when((u) => u.passwordChanged(NOW))
    .thenFails(UserIsDeactivated);
  user
    .given([registered, deactivated])
    .when((u) => u.deactivate(NOW))
    .then([]);
});

test("fromHistory of the events a user emitted reproduces the same state", () => {
  const u = User.register(
    { id: USER_ID, email: "ann@example.com", givenName: "Ann", familyName: "Lee", roles: ["user"] },
    NOW,
  );
  u.updateProfile("Anna", "Lee", NOW);
  u.assignRoles(["user", "admin"], NOW);
  u.passwordChanged(new Date("2026-03-01T00:00:00.000Z"));
  u.deactivate(NOW);
  const rebuilt = User.fromHistory(u.pendingEvents);
  assert.equal(rebuilt.snapshot(), u.snapshot());
  assert.is(rebuilt.version, 5);
});

test.run();
