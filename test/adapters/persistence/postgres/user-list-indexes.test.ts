import { sql } from "kysely";
import * as assert from "uvu/assert";
import { KyselyUserReadModel } from "../../../../src/adapters/user/sql/kysely-user-read-model.js";
import type { UserCriteria } from "../../../../src/ports/user/user-read-model.js";
import { type PlanContext, pageQueryPlan, queryPlanSuite } from "../../../support/query-plans.js";

const { plans, check } = await queryPlanSuite("user list query plans", async (db) => {
  // Twenty thousand accounts: enough rows that the planner prefers the indexes, as in production.
  // Every account is a member; one in a thousand is also an admin, so the role filter is selective.
  await sql`
    insert into users (id, email, given_name, family_name, roles, active, password_changed_at, version,
                       created_at, updated_at)
    select gen_random_uuid()::text, 'user-' || md5(i::text) || '@example.com', 'Given ' || i,
           initcap(md5((i * 7)::text)),
           case when i % 1000 = 0 then array['admin', 'member'] else array['member'] end,
           i % 10 <> 0, now(), 1, now() - i * interval '1 minute', now() - i * interval '1 minute'
    from generate_series(1, 20000) as i`.execute(db);
  // Vacuum, as autovacuum does in production: a bulk insert leaves the GIN indexes' entries in their
  // pending list, which the planner costs as a full scan of that list and so prefers a seq scan.
  await sql`vacuum analyze users`.execute(db);
});

const planOf = (context: PlanContext, criteria: UserCriteria) =>
  pageQueryPlan(context, (db) => new KyselyUserReadModel(db).list(criteria));

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
  check(title, async (context) => {
    const plan = await planOf(context, criteria);
    assert.ok(plan.includes(`"Index Name":"${index}"`), `expected ${index} in plan: ${plan}`);
    // "Incremental Sort" (rows already in index order) is allowed; a plain Sort of the table is not.
    if (unsorted)
      assert.not.ok(plan.includes(`"Node Type":"Sort"`), `expected no full sort in plan: ${plan}`);
  });
}

plans.run();
