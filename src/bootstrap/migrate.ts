import type { Kysely } from "kysely";
import type { Database } from "../adapters/persistence/kysely/database.js";
import type { Migrations } from "../adapters/persistence/kysely/migrations.js";
import { UsageError } from "./command-errors.js";
import type { ConfigStore } from "./config/index.js";
import { buildContainer, type Composition } from "./container.js";
import { Tokens } from "./tokens.js";

export const MIGRATE_USAGE = "keel migrate up | down | status | to <name>   (to 0 reverts everything)";

/** `keel migrate …`: runs against the configured driver's database and prints one line per step. */
export async function migrate(
  store: ConfigStore,
  args: readonly string[],
  print: (line: string) => void,
  composition: Composition = {},
): Promise<void> {
  const { driver } = store.get().persistence;
  if (driver === "memory") throw new UsageError("PERSISTENCE__DRIVER=memory has no schema to migrate");
  const [action, target] = args;
  const container = buildContainer(store, composition);
  const migrations = container.get<Migrations>(Tokens.Migrations);
  const db = container.get<Kysely<Database>>(Tokens.Database);
  try {
    if (action === "up") report(await migrations.up(), print);
    else if (action === "down") report(await migrations.down(), print);
    else if (action === "to" && target !== undefined) report(await migrations.to(target), print);
    else if (action === "status") {
      for (const m of await migrations.status()) {
        print(
          `${m.executedAt === undefined ? "pending " : "applied "} ${m.name}${m.executedAt ? `  (${m.executedAt.toISOString()})` : ""}`,
        );
      }
    } else throw new UsageError(`usage: ${MIGRATE_USAGE}`);
  } finally {
    await db.destroy();
  }
}

function report(lines: readonly string[], print: (line: string) => void): void {
  if (lines.length === 0) print("nothing to do");
  for (const line of lines) print(line);
}
