import type { Page } from "../page.js";
import { token } from "../token.js";

export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Sorted, unique role names. */
  readonly roles: readonly string[];
  readonly active: boolean;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const USER_SORT_FIELDS = ["email", "familyName", "createdAt"] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

export interface UserCriteria {
  /** Case-insensitive substring of the e-mail address. */
  readonly emailContains?: string;
  /** Only accounts holding this role. */
  readonly role?: string;
  /** Only active (true) or only deactivated (false) accounts. */
  readonly active?: boolean;
  readonly sort: { readonly field: UserSortField; readonly direction: "asc" | "desc" };
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

/** Query side for accounts. Ties in the sort are broken by id, so pages are stable. */
export interface UserReadModel {
  get(id: string): Promise<UserView | undefined>;
  list(criteria: UserCriteria): Promise<Page<UserView>>;
}
export const UserReadModel = token<UserReadModel>("UserReadModel");
