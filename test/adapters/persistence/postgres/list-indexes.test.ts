import { sql } from "kysely";
import * as assert from "uvu/assert";
import { KyselyProductReadModel } from "../../../../src/adapters/product/sql/kysely-product-read-model.js";
import type { ProductCriteria } from "../../../../src/ports/product/product-read-model.js";
import { type PlanContext, pageQueryPlan, queryPlanSuite } from "../../../support/query-plans.js";

const { plans, check } = await queryPlanSuite("product list query plans", async (db) => {
  // Twenty thousand products: enough rows that the planner prefers the indexes, as in production.
  await sql`
    insert into products (id, name, sku, price_minor, currency, on_hand, reserved, version, created_at, updated_at)
    select gen_random_uuid(), 'Product ' || md5(i::text), 'SKU-' || i, (i * 37) % 100000, 'EUR', 10, 0, 1,
           now() - i * interval '1 minute', now() - i * interval '1 minute'
    from generate_series(1, 20000) as i`.execute(db);
  await sql`analyze products`.execute(db);
});

const planOf = (context: PlanContext, criteria: ProductCriteria) =>
  pageQueryPlan(context, (db) => new KyselyProductReadModel(db).list(criteria));

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
  check(title, async (context) => {
    const plan = await planOf(context, criteria);
    assert.ok(plan.includes(`"Index Name":"${index}"`), `expected ${index} in plan: ${plan}`);
  });
}

plans.run();
