import { CompiledQuery, Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Database } from "../../../../src/adapters/persistence/kysely/database.js";
import { KyselyProductReadModel } from "../../../../src/adapters/persistence/kysely/kysely-product-read-model.js";
import { Migrations } from "../../../../src/adapters/persistence/kysely/migrations.js";
import type { ProductCriteria } from "../../../../src/ports/product-read-model.js";
import { createTestSchema, postgresDecision, type TestSchema } from "../../../support/postgres.js";

const decision = await postgresDecision();
const plans = suite<{ schema?: TestSchema; db?: Kysely<Database>; captured: CompiledQuery[] }>(
  "product list query plans [postgres]",
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
    // Twenty thousand products: enough rows that the planner prefers the indexes, as in production.
    await sql`
      insert into products (id, name, sku, price_minor, currency, on_hand, reserved, version, created_at, updated_at)
      select gen_random_uuid(), 'Product ' || md5(i::text), 'SKU-' || i, (i * 37) % 100000, 'EUR', 10, 0, 1,
             now() - i * interval '1 minute', now() - i * interval '1 minute'
      from generate_series(1, 20000) as i`.execute(context.db);
    await sql`analyze products`.execute(context.db);
  });
  plans.after(async (context) => {
    await context.db?.destroy();
    await context.schema?.drop();
  });
}

/** Runs the read model's list and returns the plan of its page query (the first one it issued). */
async function planOf(
  context: { db?: Kysely<Database>; captured: CompiledQuery[] },
  criteria: ProductCriteria,
) {
  const db = context.db;
  if (db === undefined) throw new Error("no database");
  context.captured.length = 0;
  await new KyselyProductReadModel(db).list(criteria);
  const page = context.captured.find((q) => /\blimit\b/i.test(q.sql));
  if (page === undefined) throw new Error("no page query captured");
  const explained = await db.executeQuery<{ "QUERY PLAN": unknown }>(
    CompiledQuery.raw(`explain (format json) ${page.sql}`, [...page.parameters]),
  );
  return JSON.stringify(explained.rows[0]?.["QUERY PLAN"]);
}

const base = { page: 1, pageSize: 20 } as const;
const cases: [string, ProductCriteria, string][] = [
  [
    "sorting by price uses products_price_sort",
    { ...base, sort: { field: "price", direction: "asc" } },
    "products_price_sort",
  ],
  [
    "sorting by newest uses products_created_sort",
    { ...base, sort: { field: "createdAt", direction: "desc" } },
    "products_created_sort",
  ],
  [
    "sorting by name uses products_name_sort",
    { ...base, sort: { field: "name", direction: "asc" } },
    "products_name_sort",
  ],
  [
    "a name substring filter uses the trigram index products_name_trgm",
    { ...base, nameContains: "abcdef", sort: { field: "price", direction: "asc" } },
    "products_name_trgm",
  ],
];

for (const [title, criteria, index] of cases) {
  const spec = async (context: { db?: Kysely<Database>; captured: CompiledQuery[] }) => {
    const plan = await planOf(context, criteria);
    assert.ok(plan.includes(`"Index Name":"${index}"`), `expected ${index} in plan: ${plan}`);
  };
  if (decision.run) plans(title, spec);
  else plans.skip(`${title} (${decision.reason})`, spec);
}

plans.run();
