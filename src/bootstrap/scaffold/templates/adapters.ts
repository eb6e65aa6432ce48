import type { ContextNames } from "../names.js";
import { fit, type GeneratedFile } from "./template.js";

export function adapterFiles(n: ContextNames, migration: string): GeneratedFile[] {
  return [
    {
      path: `src/adapters/${n.kebab}/memory/${n.plural.kebab}-table.ts`,
      content: `import { ${n.pascal}NameTaken } from "../../../domain/${n.kebab}/${n.kebab}-errors.js";
import type { ${n.pascal}State } from "../../../domain/${n.kebab}/${n.kebab}-state.js";
import type { TableDefinition } from "../../memory/memory-database.js";

/**
 * ${n.Words} state rows, shared by the memory repository (write side) and read model (query side),
 * with the unique key of the SQL schema, so no driver keeps a row the others would refuse.
 */
export const ${n.plural.camel}Table: TableDefinition<${n.pascal}State> = {
  name: "${n.kebab}",
  unique: { name: (row) => row.name },
  onUniqueViolation: (_key, value) => new ${n.pascal}NameTaken(value),
};
`,
    },
    {
      path: `src/adapters/${n.kebab}/memory/memory-${n.kebab}-repository.ts`,
      content: `import { ${n.pascal} } from "../../../domain/${n.kebab}/${n.kebab}.js";
import type { ${n.pascal}Id } from "../../../domain/${n.kebab}/${n.kebab}-id.js";
import type { ${n.pascal}Repository } from "../../../ports/${n.kebab}/${n.kebab}-repository.js";
import type { MemoryDatabase } from "../../memory/memory-database.js";
import { ${n.plural.camel}Table } from "./${n.plural.kebab}-table.js";

export class Memory${n.pascal}Repository implements ${n.pascal}Repository {
  constructor(private readonly db: MemoryDatabase) {}

  async get(id: ${n.pascal}Id): Promise<${n.pascal} | undefined> {
    const row = this.db.read(${n.plural.camel}Table, id);
    return row === undefined ? undefined : ${n.pascal}.fromSnapshot(row.value, row.version);
  }

  async idOfName(name: string): Promise<string | undefined> {
    return this.db.findUnique(${n.plural.camel}Table, "name", name);
  }

  async save(${n.camel}: ${n.pascal}): Promise<void> {
    if (${n.camel}.pendingEvents.length === 0) return;
    this.db.write(
      ${n.plural.camel}Table,
      ${n.camel}.id,
      ${n.camel}.persistedVersion,
      { version: ${n.camel}.version, value: ${n.camel}.snapshot() },
      ${n.camel}.pendingEvents,
    );
    ${n.camel}.markPersisted();
  }
}
`,
    },
    {
      path: `src/adapters/${n.kebab}/memory/memory-${n.kebab}-read-model.ts`,
      content: `import type { ${n.pascal}State } from "../../../domain/${n.kebab}/${n.kebab}-state.js";
import type { Page } from "../../../ports/page.js";
import type {
  ${n.pascal}Criteria,
  ${n.pascal}ReadModel,
  ${n.pascal}SortField,
  ${n.pascal}View,
} from "../../../ports/${n.kebab}/${n.kebab}-read-model.js";
import type { MemoryDatabase, VersionedRow } from "../../memory/memory-database.js";
import { sortAndPage } from "../../memory/sort-and-page.js";
import { ${n.plural.camel}Table } from "./${n.plural.kebab}-table.js";

const sortKey: Record<${n.pascal}SortField, (view: ${n.pascal}View) => string> = {
  name: (view) => view.name.toLowerCase(),
  createdAt: (view) => view.createdAt,
};

export class Memory${n.pascal}ReadModel implements ${n.pascal}ReadModel {
  constructor(private readonly db: MemoryDatabase) {}

  async get(id: string): Promise<${n.pascal}View | undefined> {
    const row = this.db.read(${n.plural.camel}Table, id);
    return row === undefined ? undefined : toView(row);
  }

  async list(criteria: ${n.pascal}Criteria): Promise<Page<${n.pascal}View>> {
    const views = [...this.db.rows(${n.plural.camel}Table)].map(toView);
    return sortAndPage(views, sortKey[criteria.sort.field], criteria);
  }
}

function toView({ value, version }: VersionedRow<${n.pascal}State>): ${n.pascal}View {
  return { ...value, version };
}
`,
    },
    {
      path: `src/adapters/${n.kebab}/sql/${n.kebab}-rows.ts`,
      content: `import type { ColumnType, Selectable } from "kysely";
import type { ${n.pascal}State } from "../../../domain/${n.kebab}/${n.kebab}-state.js";
import type { ${n.pascal}View } from "../../../ports/${n.kebab}/${n.kebab}-read-model.js";

declare module "../../persistence/kysely/database.js" {
  interface Database {
    ${n.plural.snake}: ${n.plural.pascal}Table;
  }
}

/** The ${n.plural.snake} table (migration ${migration}-${n.plural.kebab}): one state row each. */
export interface ${n.plural.pascal}Table {
  id: string;
  name: string;
  version: number;
  created_at: ColumnType<Date, Date, never>;
  updated_at: ColumnType<Date, Date, Date>;
}

type ${n.pascal}Row = Selectable<${n.plural.pascal}Table>;

export function ${n.camel}State(row: ${n.pascal}Row): ${n.pascal}State {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function ${n.camel}View(row: ${n.pascal}Row): ${n.pascal}View {
  return { ...${n.camel}State(row), version: row.version };
}
`,
    },
    {
      path: `src/adapters/${n.kebab}/sql/kysely-${n.kebab}-repository.ts`,
      content: `import { ${n.pascal} } from "../../../domain/${n.kebab}/${n.kebab}.js";
import { ${n.pascal}NameTaken } from "../../../domain/${n.kebab}/${n.kebab}-errors.js";
import type { ${n.pascal}Id } from "../../../domain/${n.kebab}/${n.kebab}-id.js";
import type { IdGenerator } from "../../../ports/id-generator.js";
import type { ${n.pascal}Repository } from "../../../ports/${n.kebab}/${n.kebab}-repository.js";
import { ConcurrencyConflict } from "../../../ports/unit-of-work.js";
import { appendEvents } from "../../persistence/kysely/append-events.js";
import { violatedUniqueConstraint } from "../../persistence/kysely/sql-errors.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import { ${n.camel}State } from "./${n.kebab}-rows.js";

export class Kysely${n.pascal}Repository implements ${n.pascal}Repository {
  constructor(
    private readonly scope: TransactionScope,
    private readonly ids: IdGenerator,
  ) {}

  async get(id: ${n.pascal}Id): Promise<${n.pascal} | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("${n.plural.snake}")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return ${n.pascal}.fromSnapshot(${n.camel}State(row), row.version);
  }

  async idOfName(name: string): Promise<string | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("${n.plural.snake}")
      .select("id")
      .where("name", "=", name)
      .executeTakeFirst();
    return row?.id;
  }

  /**
   * State row and events in the unit of work's transaction. One statement for a new ${n.words}
   * and a changed one: insert the row, or update the stored one if it is still at the version this
   * one was loaded at; when it is not, nothing is written (someone saved it first).
   */
  async save(aggregate: ${n.pascal}): Promise<void> {
    if (aggregate.pendingEvents.length === 0) return;
    const { trx, metadata } = this.scope.current();
    const state = aggregate.snapshot();
    const changes = {
      name: state.name,
      version: aggregate.version,
      updated_at: new Date(state.updatedAt),
    };
    const written = await trx
      .insertInto("${n.plural.snake}")
      .values({ ...changes, id: state.id, created_at: new Date(state.createdAt) })
      .onConflict((conflict) =>
${fit(
  `        conflict.column("id").doUpdateSet(changes).where("${n.plural.snake}.version", "=", aggregate.persistedVersion),`,
  `        conflict
          .column("id")
          .doUpdateSet(changes)
          .where("${n.plural.snake}.version", "=", aggregate.persistedVersion),`,
)}
      )
      .executeTakeFirst()
      .catch((error: unknown) => {
        if (violatedUniqueConstraint(error) === "${n.plural.snake}_name_key") {
          throw new ${n.pascal}NameTaken(state.name);
        }
        throw error;
      });
    if (written.numInsertedOrUpdatedRows === 0n) {
      throw new ConcurrencyConflict("${n.kebab}", state.id, aggregate.persistedVersion);
    }
    await appendEvents(trx, this.ids, "${n.kebab}", aggregate.pendingEvents, metadata);
    aggregate.markPersisted();
  }
}
`,
    },
    {
      path: `src/adapters/${n.kebab}/sql/kysely-${n.kebab}-read-model.ts`,
      content: `import { type Kysely, sql } from "kysely";
import type { Page } from "../../../ports/page.js";
import type {
  ${n.pascal}Criteria,
  ${n.pascal}ReadModel,
  ${n.pascal}SortField,
  ${n.pascal}View,
} from "../../../ports/${n.kebab}/${n.kebab}-read-model.js";
import type { Database } from "../../persistence/kysely/database.js";
import { fetchPage } from "../../persistence/kysely/paged-query.js";
import { ${n.camel}View } from "./${n.kebab}-rows.js";

/** Whitelisted sort expressions: no SQL is ever built from a client's string. */
const SORT_COLUMN = {
  name: sql\`lower(name)\`,
  createdAt: sql\`created_at\`,
} as const satisfies Record<${n.pascal}SortField, unknown>;

/** Query side; \`db\` is the read replica when one is configured. */
export class Kysely${n.pascal}ReadModel implements ${n.pascal}ReadModel {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<${n.pascal}View | undefined> {
${fit(
  `    const row = await this.db.selectFrom("${n.plural.snake}").selectAll().where("id", "=", id).executeTakeFirst();`,
  `    const row = await this.db
      .selectFrom("${n.plural.snake}")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();`,
)}
    return row === undefined ? undefined : ${n.camel}View(row);
  }

  list(criteria: ${n.pascal}Criteria): Promise<Page<${n.pascal}View>> {
    const all = this.db.selectFrom("${n.plural.snake}");
    return fetchPage(all, SORT_COLUMN[criteria.sort.field], criteria, ${n.camel}View);
  }
}
`,
    },
    {
      path: `src/adapters/${n.kebab}/migrations/${migration}-${n.plural.kebab}.ts`,
      content: `import { type Kysely, sql } from "kysely";

/**
 * ${n.Words} state rows: the write side loads and saves them, the query side lists them. The
 * unique name is the store's half of the one-name-one-${n.kebab} rule; each list sort has an
 * index ending in id (the tie-breaker).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("${n.plural.snake}")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("version", "integer", (c) => c.notNull().check(sql\`version >= 1\`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
  const nameSort = sql\`create index ${n.plural.snake}_name_sort on ${n.plural.snake} (lower(name), id)\`;
  const createdSort = sql\`create index ${n.plural.snake}_created_sort on ${n.plural.snake} (created_at, id)\`;
  await nameSort.execute(db);
  await createdSort.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("${n.plural.snake}").execute();
}
`,
    },
  ];
}
