import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  FileMigrationProvider,
  type Kysely,
  type MigrationResultSet,
  Migrator,
  NO_MIGRATIONS,
  sql,
} from "kysely";
import type { Database } from "./database.js";

/** migrations/ at the repository root (or dist/migrations when compiled): one file per change. */
const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../migrations");

export interface MigrationStatus {
  readonly name: string;
  readonly executedAt: Date | undefined;
}

/** Kysely's Migrator over keel's migrations folder, with results turned into errors. */
export class Migrations {
  private migrator: Promise<Migrator> | undefined;

  constructor(private readonly db: Kysely<Database>) {}

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
        return new Migrator({
          db: this.db,
          provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS }),
          migrationTableSchema: schema,
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
