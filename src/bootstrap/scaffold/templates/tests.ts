import type { ContextNames } from "../names.js";
import { fit, type GeneratedFile } from "./template.js";

/**
 * A new context's specs: the aggregate's (given/when/then), its handlers' on the memory adapters, its
 * persistence contract on every driver, its routes on a real server, and its rules in the
 * authorization matrix. Each statement is written to fit one line whatever the context's name (within
 * MAX_CONTEXT_NAME), or to break the same way for every name, so the formatter leaves it as written.
 */
export function testFiles(n: ContextNames): GeneratedFile[] {
  return [domainSpec(n), harness(n), handlerSpec(n), contractSpec(n), httpSpec(n), accessRules(n)];
}

function domainSpec(n: ContextNames): GeneratedFile {
  return {
    path: `test/domain/${n.kebab}/${n.kebab}.test.ts`,
    content: `import * as assert from "uvu/assert";
import { ${n.pascal} } from "../../../src/domain/${n.kebab}/${n.kebab}.js";
import type { ${n.pascal}Created } from "../../../src/domain/${n.kebab}/${n.kebab}-state.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { scenario } from "../../support/aggregate-scenario.js";
import { test } from "../../support/uvu.js";

const ID = "0b6f7d8e-3c1a-4f5e-9a2b-1c2d3e4f5a6b";
const T0 = "2026-01-01T00:00:00.000Z";
const NOW = new Date("2026-01-02T00:00:00.000Z");

const created: ${n.pascal}Created = {
  type: "${n.kebab}.created",
  aggregateId: ID,
  version: 1,
  occurredAt: T0,
  data: { name: "First" },
};

const ${n.camel} = scenario(${n.pascal}.fromHistory);

test("when ${n.aWords} is created, then ${n.kebab}.created records its name, trimmed", () => {
  const made = ${n.pascal}.create({ id: ID, name: "  First   one " }, NOW);
  assert.equal(made.pendingEvents, [
    {
      type: "${n.kebab}.created",
      aggregateId: ID,
      version: 1,
      occurredAt: NOW.toISOString(),
      data: { name: "First one" },
    },
  ]);
});

test("when ${n.aWords} is created with a blank or an over-long name, or an id that is no UUID, then InvalidValue", () => {
  const refusals = [
    { input: { id: ID, name: "   " }, field: "name" },
    { input: { id: ID, name: "x".repeat(201) }, field: "name" },
    { input: { id: "not-a-uuid", name: "First" }, field: "${n.camel}Id" },
  ];
  for (const { input, field } of refusals) {
    const refused = (error: unknown) => error instanceof InvalidValue && error.field === field;
    assert.throws(() => ${n.pascal}.create(input, NOW), refused);
  }
});

test("given its history, when ${n.aWords} is loaded, then it has the state its events made and records nothing", () => {
  const loaded = ${n.camel}
    .given([created])
    .when(() => undefined)
    .then([]);
  assert.equal(loaded.snapshot(), { id: ID, name: "First", createdAt: T0, updatedAt: T0 });
  assert.is(loaded.version, 1);
});

test("given the events ${n.aWords} recorded, when it is rebuilt from them, then its state and version are the same", () => {
  const made = ${n.pascal}.create({ id: ID, name: "First" }, NOW);
  const rebuilt = ${n.pascal}.fromHistory(made.pendingEvents);
  assert.equal(rebuilt.snapshot(), made.snapshot());
  assert.is(rebuilt.version, made.version);
});

test("given a history that creates it twice, when it is rebuilt, then it is refused", () => {
  const twice = [created, { ...created, version: 2 }];
  assert.throws(() => ${n.pascal}.fromHistory(twice), /after ${n.kebab}.created/);
});

test.run();
`,
  };
}

function harness(n: ContextNames): GeneratedFile {
  return {
    path: `test/application/${n.kebab}/${n.kebab}-harness.ts`,
    content: `import { MemoryDatabase } from "../../../src/adapters/memory/memory-database.js";
import { MemoryEventLog } from "../../../src/adapters/memory/memory-event-log.js";
import { MemoryUnitOfWork } from "../../../src/adapters/memory/memory-unit-of-work.js";
import { Memory${n.pascal}ReadModel } from "../../../src/adapters/${n.kebab}/memory/memory-${n.kebab}-read-model.js";
import { Memory${n.pascal}Repository } from "../../../src/adapters/${n.kebab}/memory/memory-${n.kebab}-repository.js";
import { AuthorizationBehaviour } from "../../../src/application/shared/authorization.js";
import type { ExecutionContext } from "../../../src/application/shared/execution-context.js";
import type { Command, Query } from "../../../src/application/shared/message.js";
import { MessageBus } from "../../../src/application/shared/message-bus.js";
import { UnitOfWorkBehaviour } from "../../../src/application/shared/unit-of-work-behaviour.js";
import { ${n.pascal} } from "../../../src/domain/${n.kebab}/${n.kebab}.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { SequentialIds } from "../../support/sequential-ids.js";

/** The user every spec's caller is, whatever it holds. */
export const USER_ID = "00000000-0000-4000-8000-0000000000aa";

/** A signed-in user holding exactly these permissions. */
export function holding(...permissions: string[]): ExecutionContext {
  return {
    principal: { kind: "user", userId: USER_ID, roles: [], permissions: new Set(permissions) },
    correlationId: "test-correlation",
  };
}

export const anonymous: ExecutionContext = {
  principal: { kind: "anonymous" },
  correlationId: "test-correlation",
};

/**
 * The ${n.words} context's adapters in memory, behind buses that authorize and run commands in a
 * unit of work as the service's do, with a hand-moved clock and predictable ids. Each spec registers
 * the handlers it exercises.
 */
export function ${n.camel}Harness() {
  const clock = new FixedClock();
  const ids = new SequentialIds();
  const db = new MemoryDatabase(() => ids.next());
  return {
    clock,
    ids,
    db,
    repository: new Memory${n.pascal}Repository(db),
    readModel: new Memory${n.pascal}ReadModel(db),
    eventLog: new MemoryEventLog(db),
    commands: new MessageBus<Command<unknown>>([
      new AuthorizationBehaviour(),
      new UnitOfWorkBehaviour(new MemoryUnitOfWork(db)),
    ]),
    queries: new MessageBus<Query<unknown>>([new AuthorizationBehaviour()]),
  };
}

export type ${n.pascal}Harness = ReturnType<typeof ${n.camel}Harness>;

/**
 * A stored ${n.words}, saved directly rather than through a command: for the specs of what comes
 * after creation. Returns its id.
 */
${fit(
  `export async function existing${n.pascal}(h: ${n.pascal}Harness, name = "Existing"): Promise<string> {`,
  `export async function existing${n.pascal}(\n  h: ${n.pascal}Harness,\n  name = "Existing",\n): Promise<string> {`,
)}
  const made = ${n.pascal}.create({ id: h.ids.next(), name }, h.clock.now());
  const system = { correlationId: "test-correlation", principal: "system:test" };
  await h.db.transaction(system, () => h.repository.save(made));
  return made.id;
}
`,
  };
}

function handlerSpec(n: ContextNames): GeneratedFile {
  const create = `Create${n.pascal}`;
  const get = `Get${n.pascal}`;
  const list = `List${n.plural.pascal}`;
  return {
    path: `test/application/${n.kebab}/${n.kebab}-handlers.test.ts`,
    content: `import * as assert from "uvu/assert";
import { ${create}, ${create}Handler } from "../../../src/application/${n.kebab}/create-${n.kebab}.js";
import { ${get}, ${get}Handler } from "../../../src/application/${n.kebab}/get-${n.kebab}.js";
import { ${list}, ${list}Handler } from "../../../src/application/${n.kebab}/list-${n.plural.kebab}.js";
import { ${n.constant}_READ, ${n.constant}_WRITE } from "../../../src/application/${n.kebab}/${n.kebab}-permissions.js";
import { Forbidden, Unauthenticated } from "../../../src/application/shared/authorization.js";
import { NotFound } from "../../../src/application/shared/not-found.js";
import { ${n.pascal}NameTaken } from "../../../src/domain/${n.kebab}/${n.kebab}-errors.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { rejects } from "../../support/rejects.js";
import { test } from "../../support/uvu.js";
import { anonymous, existing${n.pascal}, holding, USER_ID, ${n.camel}Harness } from "./${n.kebab}-harness.js";

const writer = holding(${n.constant}_WRITE, ${n.constant}_READ);
const reader = holding(${n.constant}_READ);
const UNKNOWN = "7d1f0000-0000-4000-8000-000000000000";

/** The harness with this context's handlers registered, as the context module binds them. */
function harness() {
  const h = ${n.camel}Harness();
${fit(
  `  h.commands.register(${create}, new ${create}Handler(h.repository, h.ids, h.clock));`,
  `  h.commands.register(\n    ${create},\n    new ${create}Handler(h.repository, h.ids, h.clock),\n  );`,
)}
  h.queries.register(${get}, new ${get}Handler(h.readModel));
  h.queries.register(${list}, new ${list}Handler(h.readModel));
  return h;
}

const firstPage = {
  sort: { field: "name", direction: "asc" },
  page: 1,
  pageSize: 10,
} as const;

test("given no ${n.words}, when a writer creates one, then it reads back at version 1 and its event names who did it", async () => {
  const { commands, queries, eventLog } = harness();
  const { id, version } = await commands.dispatch(new ${create}(writer, { name: " First " }));
  assert.is(version, 1);
  const view = await queries.dispatch(new ${get}(reader, id));
  assert.equal([view.id, view.name, view.version], [id, "First", 1]);
  const history = await eventLog.history("${n.kebab}", id);
  const recorded = history.map((event) => [event.type, event.metadata.principal]);
  assert.equal(recorded, [["${n.kebab}.created", \`user:\${USER_ID}\`]]);
});

test("given ${n.aWords} named First, when another is created with that name, then ${n.pascal}NameTaken and only one is stored", async () => {
  const h = harness();
  await existing${n.pascal}(h, "First");
  const again = () => h.commands.dispatch(new ${create}(writer, { name: "First" }));
  await rejects(again, ${n.pascal}NameTaken);
  assert.is((await h.queries.dispatch(new ${list}(reader, firstPage))).total, 1);
});

test("when two ${n.plural.words} with one name are created at once, then exactly one is stored", async () => {
  const { commands, queries } = harness();
  const outcomes = await Promise.allSettled([
    commands.dispatch(new ${create}(writer, { name: "Twin" })),
    commands.dispatch(new ${create}(writer, { name: "Twin" })),
  ]);
  assert.equal(outcomes.map((outcome) => outcome.status).sort(), ["fulfilled", "rejected"]);
  const refusal = outcomes.find((outcome) => outcome.status === "rejected");
  assert.instance(refusal?.reason, ${n.pascal}NameTaken);
  assert.is((await queries.dispatch(new ${list}(reader, firstPage))).total, 1);
});

test("when ${n.aWords} is created by someone without ${n.kebab}:write, then Forbidden, or Unauthenticated when anonymous", async () => {
  const { commands, queries } = harness();
  const asReader = () => commands.dispatch(new ${create}(reader, { name: "No" }));
  const asAnonymous = () => commands.dispatch(new ${create}(anonymous, { name: "No" }));
  await rejects(asReader, Forbidden);
  await rejects(asAnonymous, Unauthenticated);
  assert.is((await queries.dispatch(new ${list}(reader, firstPage))).total, 0);
});

test("when ${n.plural.words} are read by someone without ${n.kebab}:read, then Forbidden", async () => {
  const h = harness();
  const id = await existing${n.pascal}(h);
  const writerOnly = holding(${n.constant}_WRITE);
  await rejects(() => h.queries.dispatch(new ${get}(writerOnly, id)), Forbidden);
  await rejects(() => h.queries.dispatch(new ${list}(writerOnly, firstPage)), Forbidden);
});

test("when an unknown ${n.words} is read, then NotFound", async () => {
  const { queries } = harness();
  await rejects(() => queries.dispatch(new ${get}(reader, UNKNOWN)), NotFound);
});

test("given ${n.plural.words}, when listed by name or creation, either way, then the page and the total match", async () => {
  const h = harness();
  for (const name of ["Charlie", "alpha", "Bravo"]) {
    h.clock.advance(1000);
    await existing${n.pascal}(h, name);
  }
  const names = async (field: "name" | "createdAt", direction: "asc" | "desc", page: number) => {
    const criteria = { sort: { field, direction }, page, pageSize: 2 };
    const found = await h.queries.dispatch(new ${list}(reader, criteria));
    return { names: found.items.map((item) => item.name), total: found.total };
  };
  assert.equal(await names("name", "asc", 1), { names: ["alpha", "Bravo"], total: 3 });
  assert.equal(await names("name", "asc", 2), { names: ["Charlie"], total: 3 });
  assert.equal(await names("createdAt", "desc", 1), { names: ["Bravo", "alpha"], total: 3 });
});

test("when listing page 0 or a page size beyond 100, then InvalidValue naming page or pageSize", async () => {
  const { queries } = harness();
  const refused = async (page: number, pageSize: number) => {
    const criteria = { ...firstPage, page, pageSize };
    const listing = () => queries.dispatch(new ${list}(reader, criteria));
    return (await rejects(listing, InvalidValue)).field;
  };
  assert.is(await refused(0, 10), "page");
  assert.is(await refused(1, 101), "pageSize");
});

test.run();
`,
  };
}

function contractSpec(n: ContextNames): GeneratedFile {
  return {
    path: `test/adapters/${n.kebab}/${n.kebab}-store.contract.test.ts`,
    content: `import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { ${n.pascal} } from "../../../src/domain/${n.kebab}/${n.kebab}.js";
import { ${n.pascal}NameTaken } from "../../../src/domain/${n.kebab}/${n.kebab}-errors.js";
import { ${n.camel}Id } from "../../../src/domain/${n.kebab}/${n.kebab}-id.js";
import type { ${n.pascal}Event } from "../../../src/domain/${n.kebab}/${n.kebab}-state.js";
import { ${n.pascal}ReadModel } from "../../../src/ports/${n.kebab}/${n.kebab}-read-model.js";
import { ${n.pascal}Repository } from "../../../src/ports/${n.kebab}/${n.kebab}-repository.js";
import { ConcurrencyConflict } from "../../../src/ports/unit-of-work.js";
import { contract } from "../../support/contract.js";
import type { Store as PersistenceStore } from "../../support/persistence.js";
import { rejects } from "../../support/rejects.js";

/** The ${n.words} context's persistence, the same on every driver: memory, PGlite and PostgreSQL. */

const meta = { correlationId: "contract", principal: "system:test" };
const NOW = new Date("2026-03-01T12:00:00.000Z");

function fresh(name = \`Contract \${randomUUID()}\`): ${n.pascal} {
  return ${n.pascal}.create({ id: randomUUID(), name }, NOW);
}

/** The context's ports as the composition root binds them for the store's driver. */
function ports(store: PersistenceStore) {
  return {
    repository: store.container.get<${n.pascal}Repository>(${n.pascal}Repository),
    views: store.container.get<${n.pascal}ReadModel>(${n.pascal}ReadModel),
  };
}

async function saved(store: PersistenceStore, made: ${n.pascal}): Promise<${n.pascal}> {
  await store.unitOfWork.run(meta, () => ports(store).repository.save(made));
  return made;
}

await contract("${n.pascal}Repository and ${n.pascal}ReadModel", (it) => {
  it("given a saved ${n.words}, get returns the same state at version 1, and the log its events", async (store) => {
    const made = await saved(store, fresh());
    const loaded = await ports(store).repository.get(made.id);
    assert.equal(loaded?.snapshot(), made.snapshot());
    assert.is(loaded?.version, 1);
    assert.is(loaded?.pendingEvents.length, 0);
    const history = await store.eventLog.history("${n.kebab}", made.id);
    const rebuilt = ${n.pascal}.fromHistory(history as unknown as ${n.pascal}Event[]);
    assert.equal(rebuilt.snapshot(), made.snapshot());
  });

  it("given an unknown id, get returns undefined from both sides", async (store) => {
    const id = randomUUID();
    assert.is(await ports(store).repository.get(${n.camel}Id(id)), undefined);
    assert.is(await ports(store).views.get(id), undefined);
  });

  it("idOfName finds the ${n.words} holding a name", async (store) => {
    const made = await saved(store, fresh());
    assert.is(await ports(store).repository.idOfName(made.snapshot().name), made.id);
    assert.is(await ports(store).repository.idOfName(\`No such \${randomUUID()}\`), undefined);
  });

  it("given ${n.aWords} with a name, saving another with that name raises ${n.pascal}NameTaken and stores nothing", async (store) => {
    const first = await saved(store, fresh());
    const clash = fresh(first.snapshot().name);
    await rejects(() => saved(store, clash), ${n.pascal}NameTaken);
    assert.is(await ports(store).repository.get(clash.id), undefined);
    assert.equal(await store.eventLog.history("${n.kebab}", clash.id), []);
  });

  it("given a saved ${n.words}, saving a second creation of its id raises ConcurrencyConflict and keeps the first", async (store) => {
    const first = await saved(store, fresh());
    const again = ${n.pascal}.create({ id: first.id, name: \`Again \${randomUUID()}\` }, NOW);
    await rejects(() => saved(store, again), ConcurrencyConflict);
    assert.is((await ports(store).repository.get(first.id))?.snapshot().name, first.snapshot().name);
    assert.is((await store.eventLog.history("${n.kebab}", first.id)).length, 1);
  });

  it("given saved ${n.plural.words}, the read model shows each and lists them by name, paged, with the total", async (store) => {
    const prefix = randomUUID();
    for (const name of ["b", "a", "c"]) await saved(store, fresh(\`\${prefix} \${name}\`));
    const mine = async (direction: "asc" | "desc") => {
      const criteria = { sort: { field: "name", direction }, page: 1, pageSize: 100 } as const;
      const all = await ports(store).views.list(criteria);
      return all.items.filter((view) => view.name.startsWith(prefix));
    };
    const ascending = await mine("asc");
    const last = (views: readonly { name: string }[]) => views.map((view) => view.name.slice(-1));
    assert.equal(last(ascending), ["a", "b", "c"]);
    assert.equal(last(await mine("desc")), ["c", "b", "a"]);
    assert.equal(await ports(store).views.get(ascending[0]?.id ?? ""), ascending[0]);
    assert.is(ascending[0]?.version, 1);

    const criteria = { sort: { field: "createdAt", direction: "asc" }, page: 2, pageSize: 1 } as const;
    const page = await ports(store).views.list(criteria);
    assert.is(page.items.length, 1);
    assert.ok(page.total >= 3, \`total \${page.total}\`);
  });
});
`,
  };
}

function httpSpec(n: ContextNames): GeneratedFile {
  const path = `/${n.plural.kebab}`;
  return {
    path: `test/adapters/${n.kebab}/${n.plural.kebab}-api.test.ts`,
    content: `import * as assert from "uvu/assert";
import { asAdmin, bearer, registerAndSignIn } from "../../support/auth.js";
import { call, type JsonResponse, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

/**
 * The ${n.words} routes in v1, on a real listening server: the envelope, the codecs, the refusals and
 * who may call them. Requests are the bootstrap admin's (admin holds ${n.kebab}:write and
 * ${n.kebab}:read by default) unless a test says otherwise; the authorization matrix covers every
 * other caller.
 */
interface Api {
  server: TestServer;
  admin: Record<string, string>;
}

const test = suite<Api>("${n.plural.words} API");

test.before(async (api) => {
  api.server = await startTestServer();
  api.admin = await asAdmin(api.server.url);
});
test.after(async (api) => {
  await api.server.stop();
});

/** A request to \`/api/v1<path>\`, as the admin unless other headers are given. */
function send(
  api: Api,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  return call(\`\${api.server.url}/api/v1\${path}\`, { headers: api.admin, ...init });
}

async function create(api: Api, name: string): Promise<string> {
  const res = await send(api, "${path}", { method: "POST", json: { name } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.data.id;
}

test("when ${n.aWords} is created, then 201 in the envelope with its location, and it reads back", async (api) => {
  const created = await send(api, "${path}", { method: "POST", json: { name: "First" } });
  assert.is(created.status, 201);
  assert.equal([created.body.code, created.body.message], ["OK", "${n.words} created"]);
  const { id } = created.body.data;
  assert.equal(created.body.data, { id, version: 1 });
  assert.is(created.headers.get("location"), \`/api/v1${path}/\${id}\`);

  const read = await send(api, \`${path}/\${id}\`);
  assert.equal([read.status, read.body.code, read.body.message], [200, "OK", "${n.words} found"]);
  const { created_at, updated_at, ...rest } = read.body.data;
  assert.equal(rest, { id, name: "First", version: 1 });
  assert.match(created_at, /^\\d{4}-\\d\\d-\\d\\dT/);
  assert.is(updated_at, created_at);
});

test("when a name is taken, blank, or missing, then 409, 422 and 400, each naming it", async (api) => {
  await create(api, "Taken");
  const post = (json: unknown) => send(api, "${path}", { method: "POST", json });

  const taken = await post({ name: "Taken" });
  assert.equal([taken.status, taken.body.code], [409, "${n.constant}_NAME_TAKEN"]);
  const blank = await post({ name: "   " });
  assert.equal([blank.status, blank.body.code], [422, "INVALID_VALUE"]);
  assert.equal(blank.body.errors[0].path, "body.name");
  const misspelt = await post({ nmae: "Typo" });
  assert.is(misspelt.status, 400);
  const paths = misspelt.body.errors.map((error: { path: string }) => error.path);
  assert.equal(paths.sort(), ["body.name", "body.nmae"]);
});

test("given ${n.plural.words}, when listed by name, then one page of them with the total", async (api) => {
  for (const name of ["List b", "List a", "List c"]) await create(api, name);
  const res = await send(api, "${path}?sort=name&order=desc&page_size=2");
  assert.equal([res.status, res.body.message], [200, "${n.plural.words} listed"]);
  assert.equal([res.body.data.page, res.body.data.page_size, res.body.data.items.length], [1, 2, 2]);
  assert.ok(res.body.data.total >= 3, \`total \${res.body.data.total}\`);

  const bad = await send(api, "${path}?page_size=101&sort=price");
  const paths = bad.body.errors.map((error: { path: string }) => error.path);
  assert.equal(paths.sort(), ["query.page_size", "query.sort"]);
});

test("an unknown ${n.words} is a 404, an id that is no UUID a 400", async (api) => {
  const missing = await send(api, "${path}/6f1c2d3e-0000-4000-8000-000000000000");
  assert.equal([missing.status, missing.body.code], [404, "NOT_FOUND"]);
  const bad = await send(api, "${path}/not-a-uuid");
  assert.equal([bad.status, bad.body.errors[0].path], [400, "params.id"]);
});

test("without credentials it is a 401; a signed-in user without the permissions gets 403", async (api) => {
  const anonymous = await call(\`\${api.server.url}/api/v1${path}\`);
  assert.equal([anonymous.status, anonymous.body.code], [401, "UNAUTHENTICATED"]);

  const email = "no-${n.plural.kebab}@example.com";
  const { accessToken } = await registerAndSignIn(api.server.url, email, "a long enough passphrase");
  const headers = bearer(accessToken);
  const list = await send(api, "${path}", { headers });
  assert.equal([list.status, list.body.code], [403, "FORBIDDEN"]);
  const write = await send(api, "${path}", {
    method: "POST",
    json: { name: "Not mine" },
    headers,
  });
  assert.equal([write.status, write.body.code], [403, "FORBIDDEN"]);
});

test.run();
`,
  };
}

function accessRules(n: ContextNames): GeneratedFile {
  const path = `/${n.plural.kebab}`;
  return {
    path: `test/adapters/${n.kebab}/${n.kebab}.access.ts`,
    content: `import { ${n.constant}_READ, ${n.constant}_WRITE } from "../../../src/application/${n.kebab}/${n.kebab}-permissions.js";
import { type AccessRules, expectOk, permission, preparedId, unique } from "../../support/access-rules.js";
import { call } from "../../support/test-server.js";

/**
 * The ${n.words} context's routes in the authorization matrix: reading needs ${n.kebab}:read,
 * writing ${n.kebab}:write (both held by admin by default).
 */
export const access: AccessRules = {
  prepare: async ({ server, admin }) => {
    const created = await call(\`\${server.url}/api/v1${path}\`, {
      method: "POST",
      headers: admin.headers,
      json: { name: unique("Matrix") },
    });
    return { ${n.camel}: (await expectOk(created, "creating ${n.aWords}")).body.data.id };
  },
  rules: {
    "GET ${path}": {
      access: permission(${n.constant}_READ),
      sample: () => ({}),
    },
    "GET ${path}/:id": {
      access: permission(${n.constant}_READ),
      sample: (cell) => ({ params: { id: preparedId(cell, "${n.camel}") } }),
    },
    "POST ${path}": {
      access: permission(${n.constant}_WRITE),
      sample: () => ({ json: { name: unique("Matrix") } }),
    },
  },
};
`,
  };
}
