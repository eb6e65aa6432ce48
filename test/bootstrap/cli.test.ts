import pg from "pg";
import * as assert from "uvu/assert";
import { CONFIG_EXIT_CODE } from "../../src/bootstrap/config/index.js";
import { cleanEnv, PRODUCTION_SECRETS, spawnTs, waitForOutput } from "../support/child-process.js";
import { deleteStreams, NATS_URL, natsDecision } from "../support/nats.js";
import { recordSecret } from "../support/output-record.js";
import { createTestSchema, postgresDecision } from "../support/postgres.js";
import { test } from "../support/uvu.js";

test("given invalid production config, when keel serve starts, then it lists every bad key and exits 78", async () => {
  const keel = spawnTs(
    "src/bootstrap/cli.ts",
    ["serve"],
    cleanEnv({ ...PRODUCTION_SECRETS, APP_ENV: "production", HTTP__PORT: "abc", LOG__LEVEL: "loud" }),
  );
  assert.is(await keel.exited(), CONFIG_EXIT_CODE);
  const stderr = keel.stderr();
  assert.match(stderr, /HTTP__PORT \("abc" from environment\): expected integer 0\.\.65535/);
  assert.match(stderr, /LOG__LEVEL \("loud" from environment\)/);
  assert.match(
    stderr,
    /DATABASE__URL \(\*\*\* from default\): expected a postgres:\/\/ URL when PERSISTENCE__DRIVER=postgres/,
  );
  assert.not.match(stderr, /at .*\.ts:\d+/, "no stack trace for a configuration error");
});

test("given an unknown command, keel prints its usage and exits 64", async () => {
  const keel = spawnTs("src/bootstrap/cli.ts", ["serv"], cleanEnv({}));
  assert.is(await keel.exited(), 64);
  assert.match(keel.stderr(), /unknown command serv[\s\S]*usage: keel <command>/);
});

test("given valid config, keel serve answers on the configured port and stops on SIGINT with exit 0", async () => {
  const keel = spawnTs(
    "src/bootstrap/cli.ts",
    ["serve"],
    cleanEnv({ APP_ENV: "test", HTTP__HOST: "127.0.0.1", HTTP__PORT: "0", LOG__LEVEL: "info" }),
  );
  try {
    const [, port] = await waitForOutput(keel, /"port":(\d+)/);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/products`);
    assert.is(res.status, 200);
    keel.child.kill("SIGINT");
    assert.is(await keel.exited(), 0);
    assert.match(keel.stdout(), /"msg":"keel stopped"/);
  } finally {
    keel.child.kill("SIGKILL");
  }
});

const postgres = await postgresDecision();

/** A one-shot command in production on a fresh schema: migrated at start, no broker needed. */
function productionOnPostgres(databaseUrl: string): NodeJS.ProcessEnv {
  return cleanEnv({
    ...PRODUCTION_SECRETS,
    APP_ENV: "production",
    PERSISTENCE__DRIVER: "postgres",
    DATABASE__URL: databaseUrl,
    DATABASE__MIGRATE_ON_START: "true",
    EVENT_BUS__DRIVER: "memory",
    ALLOW_MEMORY_ADAPTERS: "true",
  });
}
const migrateSpec = async () => {
  const schema = await createTestSchema();
  const run = async (...args: string[]) => {
    const keel = spawnTs(
      "src/bootstrap/cli.ts",
      ["migrate", ...args],
      cleanEnv({
        ...PRODUCTION_SECRETS,
        APP_ENV: "production",
        PERSISTENCE__DRIVER: "postgres",
        DATABASE__URL: schema.url,
      }),
    );
    const code = await keel.exited();
    assert.is(code, 0, keel.stderr());
    return keel.stdout();
  };
  try {
    assert.match(
      await run("status"),
      /pending\s+2026-11-24T0100-products[\s\S]*pending\s+2026-11-24T0200-events/,
    );
    assert.match(await run("up"), /applied 2026-11-24T0100-products\napplied 2026-11-24T0200-events/);
    assert.match(await run("up"), /nothing to do/);
    assert.match(await run("down"), /reverted 2026-11-30T1100-product-reservations/);
    assert.match(
      await run("status"),
      /applied\s+2026-11-30T0900-jobs[\s\S]*pending\s+2026-11-30T1100-product-reservations/,
    );
  } finally {
    await schema.drop();
  }
};
if (postgres.run)
  test("keel migrate up, down and status work against PostgreSQL, in production too", migrateSpec);
else test.skip(`keel migrate against PostgreSQL (${postgres.reason})`, migrateSpec);

const replaySpec = async () => {
  const schema = await createTestSchema();
  const env = productionOnPostgres(schema.url);
  try {
    const keel = spawnTs("src/bootstrap/cli.ts", ["replay", "product-stock-history"], env);
    assert.is(await keel.exited(), 0, keel.stderr());
    assert.match(keel.stdout(), /rebuilt product-stock-history from 0 events/);
    const unknown = spawnTs("src/bootstrap/cli.ts", ["replay", "nope"], env);
    assert.is(await unknown.exited(), 64);
    assert.match(unknown.stderr(), /read models: product-stock-history/);
  } finally {
    await schema.drop();
  }
};
if (postgres.run)
  test("keel replay rebuilds a named read model and lists the known ones otherwise", replaySpec);
else test.skip(`keel replay (${postgres.reason})`, replaySpec);

const usersSpec = async () => {
  const schema = await createTestSchema();
  const env = productionOnPostgres(schema.url);
  const password = "an operator's long passphrase";
  recordSecret("password", password);
  const create = (input: string, ...args: string[]) =>
    spawnTs("src/bootstrap/cli.ts", ["users", "create", ...args], env, { input });
  try {
    const created = create(`${password}\n`, "Root@Example.com", "admin", "--given", "Ops");
    assert.is(await created.exited(), 0, created.stderr());
    assert.match(created.stdout(), /^created user [0-9a-f-]{36} \(root@example\.com\) with roles: admin$/m);
    const rows = await query(
      schema.url,
      "select u.email, u.given_name, u.roles, c.password_hash from users u join user_credentials c on c.user_id = u.id",
    );
    assert.equal(
      rows.map((r) => [r.email, r.given_name, r.roles]),
      [["root@example.com", "Ops", ["admin"]]],
    );
    assert.match(String(rows[0]?.password_hash), /^\$argon2id\$/);

    const again = create(`${password}\n`, "root@example.com");
    assert.is(await again.exited(), 1);
    assert.match(again.stderr(), /^keel: an account with root@example\.com already exists\n$/);
    const weak = create("short\n", "weak@example.com");
    assert.is(await weak.exited(), 1);
    assert.match(weak.stderr(), /password must be at least 12 characters long/);
    const none = create("", "nobody@example.com");
    assert.is(await none.exited(), 64);
  } finally {
    await schema.drop();
  }
};
if (postgres.run)
  test("keel users create opens an account with roles, the password read from standard input", usersSpec);
else test.skip(`keel users create (${postgres.reason})`, usersSpec);

const nats = await natsDecision();
const deadLettersSpec = async () => {
  const schema = await createTestSchema();
  const stream = `keel_cli_${Math.random().toString(36).slice(2, 10)}`;
  const env = cleanEnv({
    ...PRODUCTION_SECRETS,
    APP_ENV: "production",
    PERSISTENCE__DRIVER: "postgres",
    DATABASE__URL: schema.url,
    EVENT_BUS__DRIVER: "nats",
    EVENT_BUS__STREAM: stream,
    NATS__URL: NATS_URL,
  });
  try {
    const list = spawnTs("src/bootstrap/cli.ts", ["dead-letters", "list"], env);
    assert.is(await list.exited(), 0, list.stderr());
    assert.match(list.stdout(), /no dead letters/);
    const redrive = spawnTs("src/bootstrap/cli.ts", ["dead-letters", "redrive", "999"], env);
    assert.is(await redrive.exited(), 1);
    assert.match(redrive.stderr(), /^keel: no dead letter with id "999"\n$/);
  } finally {
    await schema.drop();
    await deleteStreams(stream, `${stream}_dead_letters`);
  }
};
if (postgres.run && nats.run)
  test("keel dead-letters lists them and refuses an unknown id cleanly", deadLettersSpec);
else
  test.skip(
    `keel dead-letters (${postgres.run ? (nats.run ? "" : nats.reason) : postgres.reason})`,
    deadLettersSpec,
  );

test.run();

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}
