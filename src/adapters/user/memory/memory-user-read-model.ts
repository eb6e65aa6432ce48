import type { UserState } from "../../../domain/user/user-state.js";
import type { Page } from "../../../ports/page.js";
import type {
  UserCriteria,
  UserReadModel,
  UserSortField,
  UserView,
} from "../../../ports/user/user-read-model.js";
import type { MemoryDatabase, VersionedRow } from "../../memory/memory-database.js";
import { sortAndPage } from "../../memory/sort-and-page.js";
import { usersTable } from "./users-table.js";

const sortKey: Record<UserSortField, (u: UserView) => string> = {
  email: (u) => u.email,
  familyName: (u) => u.familyName.toLowerCase(),
  createdAt: (u) => u.createdAt,
};

export class MemoryUserReadModel implements UserReadModel {
  constructor(private readonly db: MemoryDatabase) {}

  async get(id: string): Promise<UserView | undefined> {
    const row = this.db.read(usersTable, id);
    return row === undefined ? undefined : toView(row);
  }

  async list(criteria: UserCriteria): Promise<Page<UserView>> {
    const needle = criteria.emailContains?.toLowerCase();
    const matching: UserView[] = [];
    for (const row of this.db.rows(usersTable)) {
      const u = row.value;
      if (needle !== undefined && !u.email.toLowerCase().includes(needle)) continue;
      if (criteria.role !== undefined && !u.roles.includes(criteria.role)) continue;
      if (criteria.active !== undefined && u.active !== criteria.active) continue;
      matching.push(toView(row));
    }
    return sortAndPage(matching, sortKey[criteria.sort.field], criteria);
  }
}

function toView({ value, version }: VersionedRow<UserState>): UserView {
  const { passwordChangedAt: _, ...view } = value;
  return { ...view, version };
}
