import { CompiledQuery, Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Database } from "../../../../src/adapters/persistence/kysely/database.js";
import { KyselyUserReadModel } from "../../../../src/adapters/persistence/kysely/kysely-user-read-model.js";
import { Migrations } from "../../../../src/adapters/persistence/kysely/migrations.js";
import type { UserCriteria } from "../../../../src/ports/user-read-model.js";
import { createTestSchema, postgresDecision, type TestSchema } from "../../../support/postgres.js";

const decision = await postgresDecision();
const plans = suite<{ schema?: TestSchema; db?: Kysely<Database>; captured: CompiledQuery[] }>(
  "user list query plans [postgres]",
  { captured: [] },
);

if (decision.run) {
  plans.before(async (context) => {
    context.schema = await createTestSchema();
    context.db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: context.schema.url, max: 2 }) }),
      log: (event) => {
        if (event.level === "query") context.captured.push(event.query);
      },
    });
    await new Migrations(context.db).up();
    // Twenty thousand accounts: enough rows that the planner prefers the indexes, as in production.
    // Every account is a member; one in a thousand is also an admin, so the role filter is selective.
    await sql`
      insert into users (id, email, given_name, family_name, roles, active, password_changed_at, version,
                         created_at, updated_at)
      select gen_random_uuid()::text, 'user-' || md5(i::text) || '@example.com', 'Given ' || i,
             initcap(md5((i * 7)::text)),
             case when i % 1000 = 0 then array['admin', 'member'] else array['member'] end,
             i % 10 <> 0, now(), 1, now() - i * interval '1 minute', now() - i * interval '1 minute'
      from generate_series(1, 20000) as i`.execute(context.db);
    // Vacuum, as autovacuum does in production: a bulk insert leaves the GIN indexes' entries in their
    // pending list, which the planner costs as a full scan of that list and so prefers a seq scan.
    await sql`vacuum analyze users`.execute(context.db);
  });
  plans.after(async (context) => {
    await context.db?.destroy();
    await context.schema?.drop();
  });
}

/** Runs the read model's list and returns the plan of its page query (the first one it issued). */
async function planOf(context: { db?: Kysely<Database>; captured: CompiledQuery[] }, criteria: UserCriteria) {
  const db = context.db;
  if (db === undefined) throw new Error("no database");
  context.captured.length = 0;
  await new KyselyUserReadModel(db).list(criteria);
  const page = context.captured.find((q) => /\blimit\b/i.test(q.sql));
  if (page === undefined) throw new Error("no page query captured");
  const explained = await db.executeQuery<{ "QUERY PLAN": unknown }>(
    CompiledQuery.raw(`explain (format json) ${page.sql}`, [...page.parameters]),
  );
  return JSON.stringify(explained.rows[0]?.["QUERY PLAN"]);
}

const base = { page: 1, pageSize: 20 } as const;
/** Title, criteria, the index the plan must use, and whether it must also avoid sorting the table. */
const cases: [string, UserCriteria, string, boolean][] = [
  ...(["asc", "desc"] as const).flatMap((direction): [string, UserCriteria, string, boolean][] => [
    [
      // The e-mail's unique index is on email alone: ties on it cannot occur, so at most an
      // incremental sort (within one e-mail) follows the index scan, never a sort of the table.
      `sorting by e-mail ${direction} uses the unique index users_email_key`,
      { ...base, sort: { field: "email", direction } },
      "users_email_key",
      true,
    ],
    [
      `sorting by family name ${direction} uses users_family_name_sort`,
      { ...base, sort: { field: "familyName", direction } },
      "users_family_name_sort",
      true,
    ],
    [
      `sorting by creation ${direction} uses users_created_sort`,
      { ...base, sort: { field: "createdAt", direction } },
      "users_created_sort",
      true,
    ],
  ]),
  [
    "an e-mail substring filter uses the trigram index users_email_trgm",
    { ...base, emailContains: "abcdef", sort: { field: "createdAt", direction: "desc" } },
    "users_email_trgm",
    false,
  ],
  [
    "a role filter uses the GIN index users_roles",
    { ...base, role: "admin", sort: { field: "createdAt", direction: "desc" } },
    "users_roles",
    false,
  ],
];

for (const [title, criteria, index, unsorted] of cases) {
  const spec = async (context: { db?: Kysely<Database>; captured: CompiledQuery[] }) => {
    const plan = await planOf(context, criteria);
    assert.ok(plan.includes(`"Index Name":"${index}"`), `expected ${index} in plan: ${plan}`);
    // "Incremental Sort" (rows already in index order) is allowed; a plain Sort of the table is not.
    if (unsorted)
      assert.not.ok(plan.includes(`"Node Type":"Sort"`), `expected no full sort in plan: ${plan}`);
  };
  if (decision.run) plans(title, spec);
  else plans.skip(`${title} (${decision.reason})`, spec);
}

plans.run();
