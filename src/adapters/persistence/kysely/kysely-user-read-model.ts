import { type Kysely, sql } from "kysely";
import type { Page } from "../../../ports/page.js";
import type { UserCriteria, UserReadModel, UserSortField, UserView } from "../../../ports/user-read-model.js";
import type { Database } from "./database.js";
import { userView } from "./user-rows.js";

/** Whitelisted sort expressions: no SQL is ever built from a client's string. */
const SORT_COLUMN = {
  email: sql`email`,
  familyName: sql`lower(family_name)`,
  createdAt: sql`created_at`,
} as const satisfies Record<UserSortField, unknown>;

/** Query side; `db` is the read replica when one is configured. */
export class KyselyUserReadModel implements UserReadModel {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<UserView | undefined> {
    const row = await this.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : userView(row);
  }

  async list(criteria: UserCriteria): Promise<Page<UserView>> {
    let filtered = this.db.selectFrom("users");
    if (criteria.emailContains !== undefined) {
      filtered = filtered.where("email", "ilike", `%${escapeLike(criteria.emailContains)}%`);
    }
    if (criteria.role !== undefined) {
      const role = criteria.role;
      filtered = filtered.where(sql<boolean>`roles @> array[${role}]::text[]`);
    }
    if (criteria.active !== undefined) filtered = filtered.where("active", "=", criteria.active);

    const column = SORT_COLUMN[criteria.sort.field];
    const direction = criteria.sort.direction === "asc" ? sql`asc` : sql`desc`;
    const [rows, count] = await Promise.all([
      filtered
        .selectAll()
        .orderBy(sql`${column} ${direction}`)
        .orderBy(sql`id ${direction}`)
        .limit(criteria.pageSize)
        .offset((criteria.page - 1) * criteria.pageSize)
        .execute(),
      filtered.select((eb) => eb.fn.countAll<string>().as("total")).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(userView), total: Number(count.total) };
  }
}

/** A client's `%` or `_` is a literal character to look for, not a wildcard. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
