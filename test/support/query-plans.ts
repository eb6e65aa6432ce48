import { CompiledQuery, Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "../../src/adapters/persistence/kysely/database.js";
import { Migrations } from "../../src/adapters/persistence/kysely/migrations.js";
import { appMigrations } from "../../src/bootstrap/app-config.js";
import { createTestSchema, postgresDecision, type TestSchema } from "./postgres.js";
import { suite, type Test } from "./uvu.js";

export interface PlanContext {
  schema?: TestSchema;
  db?: Kysely<Database>;
  /** Every query the read model under test sent, so its own SQL is what gets explained. */
  captured: CompiledQuery[];
}

/**
 * A suite of query-plan checks on a migrated schema of its own, filled by `seed`; each case is
 * skipped with the reason when PostgreSQL is not there (required under CI=true).
 */
export async function queryPlanSuite(
  name: string,
  seed: (db: Kysely<Database>) => Promise<void>,
): Promise<{
  plans: Test<PlanContext>;
  check: (title: string, spec: (context: PlanContext) => Promise<void>) => void;
}> {
  const decision = await postgresDecision();
  const plans = suite<PlanContext>(`${name} [postgres]`, { captured: [] });
  if (decision.run) {
    plans.before(async (context) => {
      context.schema = await createTestSchema();
      context.db = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: context.schema.url, max: 2 }) }),
        log: (event) => {
          if (event.level === "query") context.captured.push(event.query);
        },
      });
      await new Migrations(context.db, appMigrations).up();
      await seed(context.db);
    });
    plans.after(async (context) => {
      await context.db?.destroy();
      await context.schema?.drop();
    });
  }
  const check = (title: string, spec: (context: PlanContext) => Promise<void>) => {
    if (decision.run) plans(title, spec);
    else plans.skip(`${title} (${decision.reason})`, spec);
  };
  return { plans, check };
}

/** Runs `list` (a read model's listing) and returns the plan of its page query, as JSON text. */
export async function pageQueryPlan(
  context: PlanContext,
  list: (db: Kysely<Database>) => Promise<unknown>,
): Promise<string> {
  const db = context.db;
  if (db === undefined) throw new Error("no database");
  context.captured.length = 0;
  await list(db);
  const page = context.captured.find((q) => /\blimit\b/i.test(q.sql));
  if (page === undefined) throw new Error("no page query captured");
  const explained = await db.executeQuery<{ "QUERY PLAN": unknown }>(
    CompiledQuery.raw(`explain (format json) ${page.sql}`, [...page.parameters]),
  );
  return JSON.stringify(explained.rows[0]?.["QUERY PLAN"]);
}
