import * as assert from "uvu/assert";
import {
  AuthorizationBehaviour,
  authorize,
  Forbidden,
  Unauthenticated,
} from "../../../src/application/shared/authorization.js";
import type { Principal } from "../../../src/application/shared/execution-context.js";
import { Command, type Handler, type Message } from "../../../src/application/shared/message.js";
import {
  AUTHENTICATED,
  ownerOr,
  PUBLIC,
  type Requirement,
  requiresPermission,
  SIGNED_IN_USER,
  selfOnly,
} from "../../../src/application/shared/requirement.js";
import { test } from "../../support/uvu.js";

class TouchAccount extends Command<void> {
  constructor(
    principal: Principal,
    readonly accountId: string,
  ) {
    super({ principal, correlationId: "test" });
  }
}

const ann: Principal = { kind: "user", userId: "ann", roles: [], permissions: new Set() };
const admin: Principal = {
  kind: "user",
  userId: "root",
  roles: ["admin"],
  permissions: new Set(["user:manage"]),
};
const annsKey: Principal = { kind: "apiKey", keyId: "k1", userId: "ann", permissions: new Set() };
const managingKey: Principal = {
  kind: "apiKey",
  keyId: "k2",
  userId: "root",
  permissions: new Set(["user:manage"]),
};
const anonymous: Principal = { kind: "anonymous" };
const system: Principal = { kind: "system", name: "replay" };

/** "ok", "401" or "403": what the requirement says of this principal acting on ann's account. */
function outcome(requirement: Requirement<TouchAccount>, principal: Principal): string {
  try {
    authorize(requirement, new TouchAccount(principal, "ann"));
    return "ok";
  } catch (error) {
    if (error instanceof Unauthenticated) return "401";
    if (error instanceof Forbidden) return "403";
    throw error;
  }
}

const callers = { anonymous, ann, admin, annsKey, managingKey, system };
const row = (requirement: Requirement<TouchAccount>) =>
  Object.fromEntries(
    Object.entries(callers).map(([name, principal]) => [name, outcome(requirement, principal)]),
  );

test("each requirement admits exactly the principals its rule names; keel itself (system) passes all", () => {
  const owner = (command: TouchAccount) => command.accountId;
  assert.equal(row(PUBLIC), {
    anonymous: "ok",
    ann: "ok",
    admin: "ok",
    annsKey: "ok",
    managingKey: "ok",
    system: "ok",
  });
  assert.equal(row(AUTHENTICATED), {
    anonymous: "401",
    ann: "ok",
    admin: "ok",
    annsKey: "ok",
    managingKey: "ok",
    system: "ok",
  });
  assert.equal(row(SIGNED_IN_USER), {
    anonymous: "401",
    ann: "ok",
    admin: "ok",
    annsKey: "403",
    managingKey: "403",
    system: "ok",
  });
  assert.equal(row(requiresPermission("user:manage")), {
    anonymous: "401",
    ann: "403",
    admin: "ok",
    annsKey: "403",
    managingKey: "ok",
    system: "ok",
  });
  assert.equal(row(ownerOr("user:manage", owner)), {
    anonymous: "401",
    ann: "ok",
    admin: "ok",
    annsKey: "403",
    managingKey: "ok",
    system: "ok",
  });
  assert.equal(row(selfOnly(owner)), {
    anonymous: "401",
    ann: "ok",
    admin: "403",
    annsKey: "403",
    managingKey: "403",
    system: "ok",
  });
});

test("given a refused message, the behaviour never calls the rest of the pipeline", async () => {
  let reached = false;
  const handler = {
    requires: requiresPermission("user:manage"),
    handle: async () => {},
  } as Handler<Message<void>>;
  const behaviour = new AuthorizationBehaviour();
  await behaviour
    .handle(
      new TouchAccount(ann, "ann"),
      async () => {
        reached = true;
      },
      handler,
    )
    .then(
      () => assert.unreachable("refused"),
      (error) => assert.instance(error, Forbidden),
    );
  assert.not.ok(reached, "no transaction was opened, no handler ran");
  await behaviour.handle(
    new TouchAccount(admin, "ann"),
    async () => {
      reached = true;
    },
    handler,
  );
  assert.ok(reached);
});

test.run();
