import {
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  type Migration,
  type MigrationResultSet,
  Migrator,
  NO_MIGRATIONS,
  sql,
} from "kysely";
import type { Database } from "./database.js";

/**
 * Every schema change the service runs, by name: the foundation's and each context's and plugin's
 * own, collected at composition. Names start with the time they were written, so they sort in the
 * order they were made whichever context they come from.
 */
export type MigrationSources = Readonly<Record<string, Migration>>;

export interface MigrationStatus {
  readonly name: string;
  readonly executedAt: Date | undefined;
}

/** Kysely's Migrator over the collected migrations, with results turned into errors. */
export class Migrations {
  private migrator: Promise<Migrator> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sources: MigrationSources,
  ) {}

  async status(): Promise<MigrationStatus[]> {
    const all = await (await this.open()).getMigrations();
    return all.map((m) => ({ name: m.name, executedAt: m.executedAt }));
  }

  async pending(): Promise<string[]> {
    return (await this.status()).filter((m) => m.executedAt === undefined).map((m) => m.name);
  }

  async up(): Promise<string[]> {
    return applied((await this.open()).migrateToLatest());
  }

  /** Reverts the most recent migration. */
  async down(): Promise<string[]> {
    return applied((await this.open()).migrateDown());
  }

  /** Migrates up or down to `name`; "0" reverts everything. */
  async to(name: string): Promise<string[]> {
    return applied((await this.open()).migrateTo(name === "0" ? NO_MIGRATIONS : name));
  }

  /**
   * The migrator keeps its bookkeeping in the connection's current schema, named explicitly:
   * left unnamed, Kysely looks for its table in every schema and mistakes another schema's for ours.
   * A failed lookup (the database was down) is not kept, so the next call asks again.
   */
  private open(): Promise<Migrator> {
    this.migrator ??= this.prepare().catch((error: unknown) => {
      this.migrator = undefined;
      throw error;
    });
    return this.migrator;
  }

  private async prepare(): Promise<Migrator> {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(this.db);
    const schema = rows[0]?.schema;
    if (schema === undefined) throw new Error("the connection has no current schema");
    // Read before the migrator is made, not by its provider: the provider runs inside the migrator's
    // transaction, and a second connection would wait forever for PGlite's only one.
    const retired = (await executedNames(this.db, schema)).filter(
      (name) => !Object.hasOwn(this.sources, name),
    );
    const sources = {
      ...Object.fromEntries(retired.map((name) => [name, retiredMigration(name)])),
      ...this.sources,
    };
    return new Migrator({
      db: this.db,
      provider: { getMigrations: async () => sources },
      migrationTableSchema: schema,
      // A context or plugin added later may bring a migration named before ones already run
      // (written earlier, enabled now): it runs then, rather than the migrator refusing to start.
      allowUnorderedMigrations: true,
    });
  }
}

/** The migrations the database has run, by name; none before the first. */
async function executedNames(db: Kysely<Database>, schema: string): Promise<string[]> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = ${schema} and table_name = ${DEFAULT_MIGRATION_TABLE}`.execute(db);
  if (tables.length === 0) return [];
  const { rows } = await sql<{ name: string }>`
    select name from ${sql.id(schema, DEFAULT_MIGRATION_TABLE)}`.execute(db);
  return rows.map((row) => row.name);
}

/**
 * A migration the database ran that nothing enabled brings any more: a plugin that was disabled.
 * Its tables stay as they are, and it counts as applied, so the service starts without the plugin
 * (Kysely would refuse a missing migration) and finds everything in place when it is enabled again.
 */
function retiredMigration(name: string): Migration {
  return {
    up: async () => {},
    down: async () => {
      throw new Error(
        `${name} came from a plugin or context this service no longer has: enable it to revert it`,
      );
    },
  };
}

async function applied(run: Promise<MigrationResultSet>): Promise<string[]> {
  const { error, results } = await run;
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(
      `migration ${failed ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).map((r) => `${r.direction === "Up" ? "applied" : "reverted"} ${r.migrationName}`);
}
