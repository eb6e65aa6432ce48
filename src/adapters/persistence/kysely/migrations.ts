import { type Kysely, type Migration, type MigrationResultSet, Migrator, NO_MIGRATIONS, sql } from "kysely";
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
    this.migrator ??= sql<{ schema: string }>`select current_schema() as schema`
      .execute(this.db)
      .then(({ rows }) => {
        const schema = rows[0]?.schema;
        if (schema === undefined) throw new Error("the connection has no current schema");
        const sources = this.sources;
        return new Migrator({
          db: this.db,
          provider: { getMigrations: async () => sources },
          migrationTableSchema: schema,
          // A context or plugin added later may bring a migration named before ones already run
          // (written earlier, enabled now): it runs then, rather than the migrator refusing to start.
          allowUnorderedMigrations: true,
        });
      })
      .catch((error: unknown) => {
        this.migrator = undefined;
        throw error;
      });
    return this.migrator;
  }
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
