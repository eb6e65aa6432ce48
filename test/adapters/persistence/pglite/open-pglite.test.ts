import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import * as assert from "uvu/assert";
import { openPglite } from "../../../../src/adapters/persistence/pglite/open-pglite.js";
import { test } from "../../../support/uvu.js";

let shared: PGlite | undefined;

function pglite(): PGlite {
  if (shared === undefined) throw new Error("database not opened");
  return shared;
}

test.before(async () => {
  shared = await openPglite({ dataDir: "memory://" });
});

test.after(async () => {
  await shared?.close();
});

test("given a data directory whose parents do not exist, when rows are written, the database closed and opened again, then the rows are still there", async () => {
  const root = await mkdtemp(join(tmpdir(), "keel-pglite-"));
  const dataDir = join(root, "nested", "pglite");
  try {
    const first = await openPglite({ dataDir });
    await first.exec("create table notes (id text primary key); insert into notes values ('kept')");
    await first.close();

    const second = await openPglite({ dataDir });
    try {
      const { rows } = await second.query<{ id: string }>("select id from notes");
      assert.equal(rows, [{ id: "kept" }]);
    } finally {
      await second.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("given a migration that creates pg_trgm, when it runs, then trigram similarity is available", async () => {
  await pglite().exec("create extension if not exists pg_trgm");
  const { rows } = await pglite().query<{ close: boolean }>(
    "select similarity('keel', 'keels') > 0.5 as close",
  );
  assert.equal(rows, [{ close: true }]);
});

test("given values of types pg parses its own way, when they are read, then they arrive as pg would give them", async () => {
  const { rows } = await pglite().query<Record<string, unknown>>(
    `select 9007199254740993::int8 as big, count(*) as total, 1.10::numeric as amount,
            '\\x0102'::bytea as bytes, '{1,2}'::int8[] as positions, '1 day'::interval as wait`,
  );
  const row = rows[0];
  assert.ok(row, "one row");
  assert.is(row.big, "9007199254740993", "int8 as a string, no precision lost");
  assert.is(row.total, "1", "count(*) as a string");
  assert.is(row.amount, "1.10", "numeric as a string");
  assert.ok(Buffer.isBuffer(row.bytes), "bytea as a Buffer");
  assert.equal(row.positions, ["1", "2"], "arrays parse their elements the same way");
  assert.equal({ ...(row.wait as object) }, { days: 1 }, "interval as an object");
});

test.run();
