import { type Kysely, sql } from "kysely";
import type { Page } from "../../../ports/page.js";
import type {
  UserCriteria,
  UserReadModel,
  UserSortField,
  UserView,
} from "../../../ports/user/user-read-model.js";
import type { Database } from "../../persistence/kysely/database.js";
import { escapeLike, fetchPage } from "../../persistence/kysely/paged-query.js";
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

    return fetchPage(filtered, SORT_COLUMN[criteria.sort.field], criteria, userView);
  }
}
